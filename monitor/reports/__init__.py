"""The monthly satisfaction-risk report: figures (pure) → charts → XLSX / PDF / HTML → stored report runs.

`figures.build_report` turns frames into one JSON-ready dict; every renderer reads only that dict, so the
JSON, the workbook, the PDF and the web page always show the same numbers.
"""
