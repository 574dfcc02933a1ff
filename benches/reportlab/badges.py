"""The same badges with ReportLab, to compare the desk's PDF against (issue 22).

Reads the registered people of a Delegate Desk database (SQLite file, read-only) and writes
one 4 x 3 in badge per page, as `delegate-desk-cli badges --all --preset insert-4x3` lays it
out: the event's name and dates, rank, name, position, organisation, delegation, the days,
a QR code of a random 26-character code (drawn as vector squares), the category band; in
DejaVu Sans and DejaVu Sans Bold, embedded as subsets. It writes no print record (the desk's
run does), so the comparison leans in ReportLab's favour.

    python3 -m venv /tmp/rl && /tmp/rl/bin/pip install reportlab
    /tmp/rl/bin/python benches/reportlab/badges.py DB.sqlite3 OUT.pdf

docs/speed.md gives the figures and the machine.
"""

import os
import secrets
import sqlite3
import sys

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = os.path.join(os.path.dirname(__file__), "..", "..", "src", "badge", "fonts")
CATEGORY = {
    "delegate": "DELEGATE", "coHost": "CO-HOST", "regionalInstitution": "REGIONAL INSTITUTION",
    "observer": "OBSERVER", "speaker": "SPEAKER", "vip": "VIP", "press": "PRESS", "staff": "STAFF",
}


def main(db_path, out_path):
    pdfmetrics.registerFont(TTFont("DejaVu", os.path.join(FONTS, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", os.path.join(FONTS, "DejaVuSans-Bold.ttf")))
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    name, venue, start, end = db.execute("SELECT name, venue, start_date, end_date FROM event").fetchone()
    people = db.execute(
        "SELECT rank, given_name, family_name, position, organization, delegation, category "
        "FROM attendee WHERE status = 'registered' ORDER BY name_key, id"
    ).fetchall()
    w, h = 4 * inch, 3 * inch
    c = canvas.Canvas(out_path, pagesize=(w, h))
    for rank, given, family, position, organization, delegation, category in people:
        c.setFillColorRGB(0.1, 0.2, 0.35)
        c.setFont("DejaVu-Bold", 9)
        c.drawCentredString(w / 2, h - 16, name)
        c.setFont("DejaVu", 6.5)
        c.drawCentredString(w / 2, h - 25, f"{start} – {end} · {venue}")
        c.setFillColorRGB(0, 0, 0)
        c.setFont("DejaVu", 9)
        c.drawCentredString(w / 2, h - 48, rank)
        c.setFont("DejaVu-Bold", 20)
        c.drawCentredString(w / 2, h - 70, f"{given} {family}")
        c.setFont("DejaVu", 8)
        c.drawCentredString(w / 2, h - 84, position)
        c.drawCentredString(w / 2, h - 94, organization)
        c.setFont("DejaVu-Bold", 13)
        c.drawCentredString(w / 2, h - 116, delegation)
        c.setFont("DejaVu-Bold", 8)
        c.drawString(12, 62, "All days")
        c.setFont("DejaVu", 5)
        c.drawString(12, 44, "Badge v1")
        # Sized by the widget itself: asking for its bounds would encode the code twice.
        qr = QrCodeWidget(secrets.token_hex(13), barLevel="M", barWidth=48, barHeight=48)
        d = Drawing(48, 48)
        d.add(qr)
        renderPDF.draw(d, c, w - 60, 36)
        c.setFillColorRGB(0.1, 0.2, 0.35)
        c.rect(0, 0, w, 28, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont("DejaVu-Bold", 12)
        c.drawCentredString(w / 2, 9, CATEGORY.get(category, category.upper()))
        c.showPage()
    c.save()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
