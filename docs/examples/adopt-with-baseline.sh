#!/bin/sh
# Adopting alplint on an archive that already has problems. Run it at the root of the repository of
# forms, with alplint and pre-commit installed and .pre-commit-config.yaml passing --baseline to the hook.
set -eu
alplint --statistics --exit-zero .                 # what the archive holds today, by rule and question
alplint --write-baseline .alplint-baseline.json .  # record today's problems
alplint --baseline .alplint-baseline.json .        # passes now; new forms and new problems will not
git add .alplint-baseline.json .pre-commit-config.yaml
pre-commit install                                 # from now on, every commit is checked
