from registry.bootstrap import main

main()
