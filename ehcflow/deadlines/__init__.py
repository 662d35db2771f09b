"""Pure-Python statutory deadline engine for EHC plans (no Django imports)."""
