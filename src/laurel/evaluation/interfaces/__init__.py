"""Files that carry evaluation data in and out: spreadsheets."""
