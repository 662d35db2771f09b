"""Pure-Python statutory deadline engine for EHC needs assessments and plans (no
Django).
"""
