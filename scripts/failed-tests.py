#!/usr/bin/env python3
"""Prints each failed test of the .trx files given, with its message's first lines and the top of its stack.
test.sh puts this just above its summary line, where a log cut to its tail (a CI page) still shows why."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", NS):
        message = result.findtext(".//t:Message", default="(no message)", namespaces=NS).strip().splitlines()
        print(f"FAILED {result.get('testName')} ({result.get('duration', '?')})")
        for line in message[:12]:
            print(f"    {line[:300]}")
        if len(message) > 12:
            print(f"    ... {len(message) - 12} more lines in {path}")
        for line in result.findtext(".//t:StackTrace", default="", namespaces=NS).strip().splitlines()[:4]:
            print(f"    {line.strip()[:300]}")
