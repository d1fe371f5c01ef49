from ogp.cli import main

raise SystemExit(main())
