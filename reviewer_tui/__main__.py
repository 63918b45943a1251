from reviewer_tui.cli import main

raise SystemExit(main())
