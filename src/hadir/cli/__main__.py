from hadir.cli.main import main

main()
