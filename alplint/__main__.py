from alplint.cli import entry

entry()
