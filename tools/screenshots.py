"""Screenshots of each role's home at phone (390 px) and desktop (1440 px) width.

    python tools/screenshots.py [--url http://127.0.0.1:8000] [--out screenshots] [--path /]

Against a running server with the demo loaded (`make run`), it signs in as each demo persona through the
login form (the demo password, `DEMO_PASSWORD` or Liantong@2025) and saves full-page PNGs named
``<user>-<width>.png``. It drives Debian's chromium (/usr/bin/chromium) through Playwright, as the browser
tests do; install a Chinese font (Debian: fonts-noto-cjk) to see the characters rather than boxes.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROLES = [("zj_firm", "企业"), ("zj_dept", "职能部门"), ("zj_chain", "产业链联合党委"), ("zj_zone", "园区党工委"),
         ("zj_uni", "高校"), ("admin", "平台管理员")]
WIDTHS = [(390, 844), (1440, 900)]
CHROMIUM = "/usr/bin/chromium"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--out", default="screenshots")
    ap.add_argument("--path", default="/", help="the page to capture after signing in (default: the home)")
    ap.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "Liantong@2025"))
    ap.add_argument("--users", default=",".join(u for u, _ in ROLES))
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for user in args.users.split(","):
            for width, height in WIDTHS:
                ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                          device_scale_factor=1)
                page = ctx.new_page()
                page.goto(args.url + "/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", args.password)
                page.click("button[type=submit]")
                page.wait_for_url(lambda u: "/accounts/login/" not in u)
                page.goto(args.url + args.path)
                page.wait_for_load_state("networkidle")
                name = out / f"{user}-{width}.png"
                page.screenshot(path=str(name), full_page=True)
                print(name)
                ctx.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
