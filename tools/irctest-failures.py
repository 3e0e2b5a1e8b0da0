#!/usr/bin/python3
"""Lists an irctest run's failed tests with the start of each failure message.

    tools/irctest-failures.py [/tmp/irctest-out/Chat]   (the directory given to --out)
"""
import json
import sys
import xml.etree.ElementTree as ET

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/irctest-out/Chat"
results = json.load(open(out + "/summary.json"))
messages = {}
for case in ET.parse(out + "/junit.xml").iter("testcase"):
    for child in case:
        if child.tag in ("failure", "error"):
            messages[case.get("name")] = (child.get("message") or "")[:150].replace("\n", " ")
for test, result in sorted(results.items()):
    if result["outcome"] == "failed":
        name = test.split("::", 1)[1]
        print(name, "|", messages.get(name.split("::")[-1], ""))
