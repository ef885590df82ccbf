"""Files that carry nominations in and out: the 附件6 spreadsheets."""
