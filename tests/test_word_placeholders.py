"""Every value of a DocumentContext is written verbatim, whole in one XML text node (kits stamp copies)."""

from __future__ import annotations

import pytest
from lxml import etree

from auditkit.catalogue import Catalogue, Profile
from auditkit.model import Auditor, DocumentContext, Workshop
from auditkit.word import build_audit_report, build_form, build_glossary, read_form
from word_support import parts

WORKSHOP = ("id", "name", "organisation")
CTX = ("round_id", "round_name", "kit_id", "deadline", "return_to", "coordinator")


def _placeholder_context(audit_type: str = "peer") -> DocumentContext:
    workshop = Workshop(**{k: f"⟦workshop.{k}⟧" for k in (*WORKSHOP, "municipality", "region", "email")},
                        profile=Profile("both", True))
    auditors = tuple(Auditor(f"⟦auditor{i}.name⟧", f"⟦auditor{i}.email⟧", f"⟦auditor{i}.home⟧", f"⟦auditor{i}.role⟧")
                     for i in range(2))
    return DocumentContext(workshop=workshop, audit_type=audit_type, auditors=auditors,
                           **{k: f"⟦{k}⟧" for k in CTX})


def _text_nodes(data: bytes) -> list[str]:
    nodes = []
    for name, blob in parts(data).items():
        if name.endswith(".xml") or name.endswith(".rels"):
            root = etree.fromstring(blob)
            nodes += [t for t in root.itertext() if t]
    return nodes


def _intact(data: bytes, placeholders: list[str]) -> None:
    nodes = _text_nodes(data)
    for placeholder in placeholders:
        assert any(placeholder in node for node in nodes), f"{placeholder} is missing or split"
    for node in nodes:  # no node holds half of one
        assert node.count("⟦") == node.count("⟧"), node


@pytest.mark.parametrize("audit_type", ["peer", "external"])
def test_form_and_report_carry_every_value_whole(catalogue: Catalogue, audit_type: str) -> None:
    ctx = _placeholder_context(audit_type)
    form = build_form(catalogue, ctx)
    _intact(form, [f"⟦workshop.{k}⟧" for k in WORKSHOP] + [f"⟦{k}⟧" for k in ("round_id", "round_name", "kit_id",
                                                                                "deadline", "return_to")])
    report = build_audit_report(catalogue, ctx)
    auditor_values = [f"⟦auditor{i}.{k}⟧" for i in range(2) for k in ("name", "email", "role")]
    if audit_type == "peer":
        auditor_values += ["⟦auditor0.home⟧", "⟦auditor1.home⟧"]
    _intact(report, [f"⟦workshop.{k}⟧" for k in WORKSHOP] + [f"⟦{k}⟧" for k in ("round_id", "round_name", "kit_id",
                                                                                  "coordinator")] + auditor_values)


def test_glossary_with_context_carries_values_whole(catalogue: Catalogue) -> None:
    _intact(build_glossary(catalogue, _placeholder_context()), ["⟦workshop.name⟧", "⟦workshop.id⟧", "⟦round_name⟧"])


def test_a_stamped_form_reads_back_with_the_stamped_identity(catalogue: Catalogue, tmp_path) -> None:
    """What kit generation does: replace the placeholders in the XML text, then the form reads back."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    data = build_form(catalogue, _placeholder_context())
    values = {"⟦workshop.name⟧": 'Paja "A&B" <Ääri>', "⟦kit_id⟧": "K-9", "⟦workshop.id⟧": "P9", "⟦round_id⟧": "r1",
              "⟦round_name⟧": "Kevät", "⟦workshop.organisation⟧": "", "⟦deadline⟧": "", "⟦return_to⟧": "",
              "⟦workshop.municipality⟧": "", "⟦workshop.region⟧": "", "⟦workshop.email⟧": ""}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename.endswith(".xml"):
                text = blob.decode("utf-8")
                for placeholder, value in values.items():
                    text = text.replace(placeholder, escape(value, {'"': "&quot;"}))
                blob = text.encode("utf-8")
            target.writestr(info, blob)
    path = tmp_path / "stamped.docx"
    path.write_bytes(out.getvalue())
    returned = read_form(path, catalogue)
    assert returned.problems == ()
    assert (returned.identity.workshop_name, returned.identity.kit_id, returned.identity.workshop_id) == \
        ('Paja "A&B" <Ääri>', "K-9", "P9")
    assert returned.texts["workshop"] == 'Paja "A&B" <Ääri>' and len(returned.responses) == 51
