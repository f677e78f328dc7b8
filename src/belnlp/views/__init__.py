"""Readers of outputs: inspect, report, graph, explain."""
