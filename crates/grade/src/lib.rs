//! Deterministic SpatialBench graders: Python-compatible JSON, answer
//! extraction, one module per grader type, and the eval linter.
