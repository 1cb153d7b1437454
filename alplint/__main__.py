import sys

from alplint.cli import main

sys.exit(main())
