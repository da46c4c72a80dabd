"""Shared helper of the PyTorch peers (torch_w*.py): instance matrices as float64 CPU tensors."""
import torch


def tensor(spec):
    """A float64 CPU tensor from {"rows", "cols", "data"} (row-major, as common.matrix)."""
    return torch.tensor(spec["data"], dtype=torch.float64).reshape(spec["rows"], spec["cols"])
