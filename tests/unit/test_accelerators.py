from pathlib import Path

import pytest

from modelcheck.accelerators import Accelerators, Stack, default_accelerators

LOOKALIKES = Path(__file__).resolve().parents[1] / "data" / "lookalike-names.txt"


def lookalike_names() -> list[str]:
    lines = LOOKALIKES.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_data_loads_with_every_field() -> None:
    stacks = default_accelerators().stacks
    assert {s.id for s in stacks} >= {"cuda", "cudnn", "nccl", "tensorrt", "nvml", "nvidia-opencl", "mkl"}
    for stack in stacks:
        assert stack.name and stack.vendor and stack.alternatives
        assert stack.packages or stack.patterns


@pytest.mark.parametrize(
    "name, stack",
    [
        ("nvidia-cuda-toolkit", "cuda"),
        ("nvidia-cuda-dev", "cuda"),
        ("libcudart12", "cuda"),
        ("libcublas12", "cuda"),
        ("libcudnn9-dev-cuda-12", "cudnn"),
        ("libnccl-dev", "nccl"),
        ("libnvinfer10", "tensorrt"),
        ("libnvidia-ml-dev", "nvml"),
        ("intel-mkl", "mkl"),
        ("libmkl-dev", "mkl"),
        ("python3-pycuda", "cuda-builds"),
    ],
)
def test_known_proprietary_names_match(name: str, stack: str) -> None:
    found = default_accelerators().match(name)
    assert found is not None and found.id == stack


def test_free_lookalike_names_never_match() -> None:
    names = lookalike_names()
    assert len(names) > 20
    assert [n for n in names if default_accelerators().match(n) is not None] == []


@pytest.mark.parametrize("name", ["libopenblas-dev", "nvtop", "libcub-dev", "libthrust-dev", "mklibs", "", "cuda"])
def test_free_names_do_not_match(name: str) -> None:
    assert default_accelerators().match(name) is None


def test_patterns_are_anchored_and_name_the_stack() -> None:
    accelerators = Accelerators(
        [
            Stack("one", "One", "V", frozenset(), ("liba*", "x?"), "free a"),
            Stack("two", "Two", "V", frozenset({"exact"}), ("libb[0-9]*-dev",), "free b"),
        ]
    )
    assert accelerators.match("liba-dev").id == "one"
    assert accelerators.match("libb12-dev").id == "two"
    assert accelerators.match("exact").id == "two"
    assert accelerators.match("xliba") is None
    assert accelerators.match("libb-dev") is None
    # A pattern whose literal prefix is too short to index is still tried.
    assert accelerators.match("xy").id == "one"
    assert accelerators.match("xyz") is None


@pytest.mark.parametrize("name, stack", [
    ("CUDA", "cuda"),
    ("cuda", "cuda"),
    ("NVIDIA CUDA", "cuda"),
    ("CUDA 12.1", "cuda"),
    ("NVIDIA CUDA v11.8", "cuda"),
    ("cuDNN", "cudnn"),
    ("NVIDIA cuDNN 8.9", "cudnn"),
    ("cudnn-9", "cudnn"),
    ("NVIDIA cuDNN deep neural network library", "cudnn"),
    ("Intel MKL 2024.1", "mkl"),
    ("oneMKL", "mkl"),
    ("TensorRT 10", "tensorrt"),
    ("  nccl   2.18 ", "nccl"),
    # Whole names only: these mention a proprietary stack but are none.
    ("AMD ROCm (no CUDA)", None),
    ("HIPIFY of CUDA kernels", None),
    ("CUDA-free OpenBLAS", None),
    ("MKL-DNN", None),
    ("cudnn-frontend", None),
    ("PyTorch 2.1", None),
    ("", None),
])
def test_stack_entries_are_matched_by_whole_name(name: str, stack: "str | None") -> None:
    found = default_accelerators().named(name)
    assert (found.id if found else None) == stack


@pytest.mark.parametrize(
    "name, stack",
    [
        ("libcudart${cuda:Soversion}", "cuda"),  # a glob of the stack
        ("libcudnn${abi}-dev", "cudnn"),
        ("nvidia-cuda-${part}", "cuda"),  # an exact name of the stack
        ("libnvvm${v}", "cuda"),  # libnvvm[0-9]* when the variable starts with a digit
        ("libfoo${abi}-dev", None),
        ("libnvvmx${v}", None),  # no expansion reaches a digit after libnvvm
    ],
)
def test_a_substvar_in_a_name_is_a_wildcard(name: str, stack: str) -> None:
    found = default_accelerators().match(name)
    assert (found and found.id) == stack


@pytest.mark.parametrize(
    "first, second, meet",
    [
        ("a*", "a*", True),
        ("a*b", "*c*", True),  # acb
        ("a*c", "ab", False),
        ("lib*-dev", "libnvvm[0-9]*", True),
        ("libnvvmx*", "libnvvm[0-9]*", False),
        ("x*", "x?", True),
        ("x", "x?", False),
        ("*", "", True),
    ],
)
def test_globs_meet(first: str, second: str, meet: bool) -> None:
    from modelcheck.accelerators import globs_meet

    assert globs_meet(first, second) is meet
