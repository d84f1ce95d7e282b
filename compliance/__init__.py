"""The Autobahn|Testsuite against our channel and the peer clients: `python -m compliance`.

install   the Python 2.7 virtualenv with wstest (autobahntestsuite 25.10.1), built once
cases     --cases selections -> the fuzzing server's case patterns
server    `wstest -m fuzzingserver` on a free loopback port, always stopped
testees/  one echo client per library, each run in its own subprocess
runner    a run: server up, each testee through the cases, reports requested
report    index.json -> one verdict per case, the table, and the exit-status rule

Files go to the git-ignored `.autobahn/` folder of the checkout (`--workdir` to move it):
py27/ (the virtualenv), run/ (the last run's spec, logs and reports/index.html).
"""
