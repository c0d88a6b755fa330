"""Evaluation: curated questions, baselines, public benchmarks, reports and the regression gate."""
