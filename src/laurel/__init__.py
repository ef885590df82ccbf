"""Laurel — commendation management system (评比达标表彰管理系统)."""
