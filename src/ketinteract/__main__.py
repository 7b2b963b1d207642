from ketinteract.cli import main

main()
