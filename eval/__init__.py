"""framewatch.eval: evaluation runs, metrics and labelling-function analysis."""
from .runner import EvalResult, evaluate

__all__ = ["EvalResult", "evaluate"]
