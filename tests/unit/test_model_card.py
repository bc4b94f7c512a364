"""modelcheck init --from-model-card: the facts a Hugging Face card states, and nothing more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import control, write_tree
from test_init import run

from modelcheck.source import PROVENANCE

DATA_LICENCE = "FIXME: SPDX expression of the data's licence, or unknown"
AVAILABILITY = "FIXME: public, registration, on-request, unavailable or generated"

CARD = """\
---
license: apache-2.0
library_name: transformers
datasets:
- HuggingFaceFW/fineweb
- wikipedia
base_model:
- org/base-7b
base_model_relation: finetune
model-index:
- name: Tiny Chat 7B
  results: []
---
# Tiny Chat

Trained on the web.
"""


def init_from(tmp_path: Path, card_text: str, name: str = "README.md") -> tuple[tuple[int, str, str], Path]:
    root = write_tree(tmp_path / "src", control())
    card = tmp_path / name
    card.write_text(card_text, encoding="utf-8")
    return run(["init", "--from-model-card", str(card), str(root)]), root


def written_model(root: Path) -> dict[str, Any]:
    return yaml.safe_load((root / PROVENANCE).read_text(encoding="utf-8"))["Models"][0]


def test_card_facts_fill_the_skeleton_and_the_rest_stays_fixme(tmp_path: Path) -> None:
    status, root = init_from(tmp_path, CARD)
    assert status == (
        0, f"wrote {root / PROVENANCE} declaring 0 model file(s); replace every FIXME, then run 'modelcheck lint'\n", ""
    )
    assert written_model(root) == {
        "Name": "Tiny-Chat-7B",
        "Upstream": "FIXME: https://where.the.weights.are.published/",
        "License": "Apache-2.0",
        "Files": [{"Path": "FIXME: path/of/the/weights/in/the/source/tree"}],
        "Base-Model": [{
            "Name": "org/base-7b",
            "Upstream": "https://huggingface.co/org/base-7b",
            "License": "FIXME: SPDX expression of the base model's licence",
            "Relation": "fine-tune",
        }],
        "Training": {
            "Data": [
                {"Name": "HuggingFaceFW/fineweb", "Upstream": "https://huggingface.co/datasets/HuggingFaceFW/fineweb",
                 "License": DATA_LICENCE, "Availability": AVAILABILITY},
                {"Name": "wikipedia", "Upstream": "https://huggingface.co/datasets/wikipedia",
                 "License": DATA_LICENCE, "Availability": AVAILABILITY},
            ],
            "Code": {
                "Upstream": "FIXME: https://where.the.training.code.is/ (or write Code: unavailable)",
                "License": "FIXME: SPDX expression of the training code's licence",
                "Complete": "FIXME: true or false: can it retrain these weights from the data above?",
            },
            "Stack": [{"Name": "transformers", "Proprietary": "FIXME: true or false"}],
            "Hardware": "FIXME: what the training ran on, e.g. 8 NVIDIA V100 GPUs",
            "Reproducibility": {
                "Status": "FIXME: reproduced, partially-reproduced, not-attempted, impractical or impossible",
            },
        },
        "Classification": "FIXME: free, toxic-candy or non-free (see ML-Policy)",
    }


def test_other_licence_with_a_name_becomes_a_licence_ref(tmp_path: Path) -> None:
    card = "---\nlicense: other\nlicense_name: tiny-licence\nlicense_link: LICENSE\nmodel_name: tiny\n---\n"
    assert init_from(tmp_path, card)[0][0] == 0
    model = written_model(tmp_path / "src")
    assert (model["Name"], model["License"], model["Notes"]) == (
        "tiny", "LicenseRef-tiny-licence", "The model card's license_link: LICENSE")


@pytest.mark.parametrize("front, licence", [
    ("license: other\nlicense_link: https://example.org/l", "FIXME: SPDX expression of the weights' licence; "
     "the model card says license: other, license_link: https://example.org/l"),
    ("license: bsd", "FIXME: SPDX expression of the weights' licence; the model card says license: bsd"),
    ("license: [mit, cc-by-4.0]", "FIXME: SPDX expression of the weights' licence; "
     "the model card says license: mit, cc-by-4.0"),
    ("license: 3", "FIXME: SPDX expression of the weights' licence"),
    ("license: llama2", "LicenseRef-llama2"),
    ("license: unknown", "unknown"),
])
def test_licences_the_card_does_not_pin_down_stay_fixme(tmp_path: Path, front: str, licence: str) -> None:
    assert init_from(tmp_path, f"---\n{front}\n---\n")[0][0] == 0
    assert written_model(tmp_path / "src")["License"] == licence


def test_unstated_relation_odd_ids_and_odd_types_are_not_guessed(tmp_path: Path) -> None:
    card = ("---\nbase_model: not a repo id\ndatasets: [\"my data\", 7]\nlibrary_name: [x]\n"
            "model_name: \"!!!\"\n---\n")
    assert init_from(tmp_path, card)[0][0] == 0
    model = written_model(tmp_path / "src")
    assert model["Name"] == "FIXME-model-name"
    assert model["Base-Model"] == [{
        "Name": "not a repo id", "Upstream": "FIXME: https://where.the.base.model.is/",
        "License": "FIXME: SPDX expression of the base model's licence",
        "Relation": "FIXME: fine-tune, quantized, distilled, merge or adapter",
    }]
    assert model["Training"]["Data"] == [{"Name": "my data", "License": DATA_LICENCE, "Availability": AVAILABILITY}]
    assert model["Training"]["Stack"] == [{"Name": "FIXME: framework or accelerator library, e.g. PyTorch or cuDNN",
                                           "Proprietary": "FIXME: true or false"}]


@pytest.mark.parametrize("relation, expected", [
    ("finetune", "fine-tune"), ("quantized", "quantized"), ("merge", "merge"), ("adapter", "adapter"),
])
def test_base_model_relations(tmp_path: Path, relation: str, expected: str) -> None:
    assert init_from(tmp_path, f"---\nbase_model: a/b\nbase_model_relation: {relation}\n---\n")[0][0] == 0
    assert written_model(tmp_path / "src")["Base-Model"][0]["Relation"] == expected


@pytest.mark.parametrize("card_text, message", [
    ("# Just a README\n", "no YAML front matter: the card does not start with a line '---'"),
    ("---\nlicense: mit\n", "the YAML front matter has no closing line '---'"),
    ("---\n---\n# empty\n", "the YAML front matter is empty"),
    ("---\n- a list\n---\n", "the YAML front matter is not a mapping"),
    ("---\nlicense: [mit\n---\n", "line 3: did not find expected ',' or ']'"),
    ("---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n", "line 3: aliases are not allowed"),
    ("---\nlicense: !!python/object/apply:os.system [echo pwned]\n---\n",
     "line 2: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"),
    ("---\nlicense: mit\nlicense: gpl\n---\n", "line 3: duplicate key 'license'"),
])
def test_hostile_or_broken_cards_are_one_line_errors(tmp_path: Path, card_text: str, message: str) -> None:
    (status, out, err), root = init_from(tmp_path, card_text)
    card = tmp_path / "README.md"
    assert (status, out, err) == (2, "", f"modelcheck: error: {card}: {message}\n")
    assert not (root / PROVENANCE).exists()


def test_unreadable_and_non_utf8_cards(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", control())
    missing = tmp_path / "missing.md"
    assert run(["init", "--from-model-card", str(missing), str(root)]) == (
        2, "", f"modelcheck: error: {missing}: no such file\n")
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes(b"---\nlicense: mit\nmodel_name: caf\xe9\n---\n")
    assert run(["init", "--from-model-card", str(latin1), str(root)]) == (
        2, "", f"modelcheck: error: {latin1}: line 3: not UTF-8 (byte 32)\n")
