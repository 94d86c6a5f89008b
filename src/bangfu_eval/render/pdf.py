"""PDF through LibreOffice (headless), when it is installed: the .docx is converted in a
private temporary directory with the GB/T 9704 font names mapped to free fonts of the same
style (``fonts.conf`` beside this file), and the PDF's bytes are returned."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
HOW_TO_INSTALL = (
    "生成 PDF 需要 LibreOffice：Debian/Ubuntu 上 "
    "apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai；"
    "或先写出 .docx，再用 Word/WPS 另存为 PDF"
)
TIMEOUT_S = 300


class NoConverter(Exception):
    """LibreOffice is not installed or failed; the message says what to do (in Chinese)."""


def converter() -> str | None:
    """The LibreOffice executable, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    exe = converter()
    if exe is None:
        raise NoConverter(HOW_TO_INSTALL)
    with tempfile.TemporaryDirectory(prefix="bangfu-pdf-") as tmp:
        work = Path(tmp)
        (work / "report.docx").write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
        cmd = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(work / "report.docx"),
        ]
        try:
            subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=TIMEOUT_S)
        except (OSError, subprocess.SubprocessError) as exc:
            raise NoConverter(f"LibreOffice 转换 PDF 失败（{type(exc).__name__}）；{HOW_TO_INSTALL}") from exc
        pdf = work / "report.pdf"
        if not pdf.is_file():
            raise NoConverter(f"LibreOffice 没有写出 PDF；{HOW_TO_INSTALL}")
        return pdf.read_bytes()
