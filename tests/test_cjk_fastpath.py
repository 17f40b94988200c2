"""The CJK engine's fast paths must never skip text the full analysis could repair."""

from __future__ import annotations

import random

from mojifix.cjk import DOUBT_NOTES, LONE_NOTE, _starter_lines, _starter_res_for, find_cjk_edits
from mojifix.options import CJK_CODECS, Options


def _starts_with_utf8_lead(ch: str, codec: str) -> bool:
    try:
        data = ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return 0xC2 <= data[0] <= 0xF4


def test_every_character_that_can_begin_an_atom_is_a_starter() -> None:
    # An atom begins at a character whose bytes start with a UTF-8 lead byte: the
    # starter class must hold every such character of every codec, BMP and beyond.
    single, _ = _starter_res_for(CJK_CODECS)
    rng = random.Random(7)
    points = list(range(0x80, 0x10000)) + rng.sample(range(0x10000, 0x110000), 20000)
    points += [0x1F600, 0xA9CEF, 0xA9CF0, 0x10FFFF]
    missing = [
        (codec, hex(cp))
        for cp in points
        if not 0xD800 <= cp <= 0xDFFF and not single.fullmatch(chr(cp))
        for codec in CJK_CODECS
        if _starts_with_utf8_lead(chr(cp), codec)
    ]
    assert missing == []


def test_curly_quotes_euro_and_emoji_are_not_starters() -> None:
    text = "It’s “fine” — really… €5 😀🎉 naïve café\nsecond line\n"
    assert list(_starter_lines(text, _starter_res_for(CJK_CODECS))) == []
    assert find_cjk_edits(text, Options()) == []


def test_starter_lines_are_the_lines_holding_a_match() -> None:
    lines = ["plain\n", "It鈥檚 here\n", "€ only\n", "Ã© later layer\n", "茅", ]
    text = "".join(lines)
    found = [text[a:b] for a, b in _starter_lines(text, _starter_res_for(CJK_CODECS))]
    assert found == ["It鈥檚 here\n", "Ã© later layer\n", "茅"]


def test_wide_utf8_stretches_are_the_maximal_ones_longer_than_a_byte() -> None:
    # _UTF8_WIDE_RE lets the regex engine drop single ASCII bytes, which hold no atom;
    # every other maximal stretch of well-formed UTF-8 must come out exactly as before.
    from mojifix.cjk import _UTF8_RE, _UTF8_WIDE_RE

    rng = random.Random(11)
    edges = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF,
             0xE0, 0xE4, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
    for _ in range(20000):
        data = bytes(rng.choice(edges) if rng.random() < 0.8 else rng.randrange(256)
                     for _ in range(rng.randrange(1, 14)))
        wide = [m.span() for m in _UTF8_WIDE_RE.finditer(data)]
        assert wide == [m.span() for m in _UTF8_RE.finditer(data) if m.end() - m.start() > 1]


def _fresh_edits(text: str) -> list:
    from mojifix import cjk

    for cache in (cjk._readings, cjk._cluster_cache, cjk._judgements, cjk._local_judgements,
                  cjk._atom_cache,
                  cjk._atom_intern, cjk._group_cache):
        cache.clear()
    return find_cjk_edits(text, Options())


def test_memoised_run_readings_match_a_fresh_analysis_in_every_context() -> None:
    # The same mojibake runs and genuine runs in many surroundings (letters near and
    # far, spaces, line edges, CR, other scripts): a reading memoised in one context
    # must never be reused where the model would see something else.
    rng = random.Random(5)
    runs = ["鈥檚", "鈥", "聽", "淭", "黑料社", "中文", "茅", "脿", "锟斤拷", "ä¸­"]
    glue = ["", " ", "  ", "a", "Z", "é", "д", "\r", "1", ".", " " * 70, "x" + " " * 62]
    lines = []
    for _ in range(400):
        parts = [rng.choice(glue) + rng.choice(runs) + rng.choice(glue) for _ in range(3)]
        lines.append("".join(parts) + "\n")
    # Each line judged alone on empty caches, then all of them together.
    alone = []
    offset = 0
    for line in lines:
        alone.extend(e.__class__(e.start + offset, e.end + offset, *[
            getattr(e, f) for f in ("replacement", "chain", "confidence", "guesses", "notes")])
            for e in _fresh_edits(line))
        offset += len(line)
    # Lone lossy remnants and lone letters at word edges depend on evidence elsewhere
    # in the text by design (cjk.LONE_NOTE, cjk.DOUBT_NOTES), so they are compared
    # apart from the memoised readings.
    together = find_cjk_edits("".join(lines), Options())
    doubted = {(e.start, e.end) for e in together + alone
               if any(note in e.notes for note in DOUBT_NOTES)}

    def judged_alone(edits: list) -> list:  # type: ignore[type-arg]
        return [e for e in edits
                if LONE_NOTE not in e.notes and (e.start, e.end) not in doubted]

    assert judged_alone(together) == judged_alone(alone)
    assert len(judged_alone(together)) > 100  # the comparison is not vacuous


def test_genuine_cjk_text_skips_the_lossy_search(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import mojifix.lossy as lossy
    from mojifix import fix_text

    searched: list[str] = []
    real = lossy.repair_undecodable

    def spy(stretch, options):  # type: ignore[no-untyped-def]
        searched.append(stretch.line[stretch.start : stretch.end])
        return real(stretch, options)

    monkeypatch.setattr(lossy, "repair_undecodable", spy)
    chinese = "北京时间周六晚上，国家统计局发布了最新的经济数据。\n<p>数据显示，今年前三个季度全国居民收入增长。</p>\n"
    assert fix_text(chinese) == chinese
    assert all(len(s) <= 3 for s in searched)
    # A lone lossy remnant among English words, and one beside repaired mojibake, are searched.
    searched.clear()
    assert fix_text("campaigns 鈥 a months-long assault on Russia鈥檚 flank") == (
        "campaigns — a months-long assault on Russia’s flank"
    )
    assert "鈥" in searched


def test_lone_remnants_need_intact_mojibake_of_their_codec_in_the_text() -> None:
    from mojifix import fix_and_explain, fix_text

    lone = "Japanese page: <p>甯</p> and a lone 鈥 between words.\n"
    assert fix_text(lone) == lone
    evidence = "The war鈥檚 end.\n\n"
    repair = fix_and_explain(evidence + "campaigns 鈥 a months-long assault\n")
    assert repair.text == "The war’s end.\n\ncampaigns — a months-long assault\n"
    (remnant,) = [s for s in repair.spans if s.guesses]
    assert LONE_NOTE in remnant.notes


def test_interior_clusters_skipped_by_the_bound_are_ones_the_full_judgement_drops() -> None:
    # _read_run_in skips the judgement of a cluster inside a run of ideographs, kana or
    # hangul when the cost bound of _interior_bounds says no repair can win. Check, on
    # real clean text and on mojibake of every codec, with both priors a run is read
    # with, that every cluster the bound would skip is one _decide drops as well.
    from corrupt import load_paragraphs
    from mojifix import cjk
    from mojifix.plausibility import model

    lines = [row["text"] for row in load_paragraphs()]
    lines = [line for line in lines if not line.isascii()]
    mojibake = []
    for line in lines[::7]:
        for codec in ("gbk", "big5", "shift_jis", "euc_kr"):
            mojibake.append(line.encode("utf-8").decode(codec, errors="ignore"))
    m = model()
    skipped = decided = 0
    for line in lines + mojibake:
        for match in cjk._RUN_RE.finditer(line):
            run_start, run = match.start(), match.group()
            bounds = cjk._interior_bounds(m, run)
            for codec in CJK_CODECS:
                for prior in (cjk.PRIOR_BITS, cjk.CONTEXT_PRIOR_BITS):
                    limit = prior + 2 * cjk.SWITCH_BITS + cjk._REPORT_FLOOR_BITS
                    for piece_start, piece_end, clusters in cjk._atoms_of(run, codec):
                        for cluster in clusters:
                            start = piece_start + cluster.bounds[0]
                            end = piece_start + cluster.bounds[-1]
                            if not cjk._interior_settled(bounds, start, end, limit):
                                continue
                            skipped += 1
                            decision = cjk._decide(m, run, cluster, piece_start, line, run_start,
                                                   True, True, prior)
                            decided += decision is not None
    assert (decided, skipped > 20_000) == (0, True)  # sound, and it does skip


def test_without_the_lossy_search_only_intact_mojibake_is_read() -> None:
    # The DOS engine keeps single-byte readings only and asks for no lost-byte search:
    # the intact repairs must be the same, the rebuilt remnants absent.
    text = "It鈥檚 the war 鈥 and more 鈥渜uotes鈥 here\n"
    full = find_cjk_edits(text, Options())
    intact = find_cjk_edits(text, Options(), lossy=False)
    assert any(edit.guesses for edit in full)
    assert intact == [edit for edit in full if not edit.guesses] and intact


def test_runs_the_quick_codec_tests_turn_away_have_no_atoms() -> None:
    # _run_groups skips a code page when no character it maps to a UTF-8 lead byte
    # stands before one it maps to a continuation byte, and a multi-byte codec when no
    # character begins with a lead byte in it: then the run holds no atom of it. Check
    # that on real text in many scripts and on mojibake of every codec.
    from corrupt import load_paragraphs
    from mojifix import cjk
    from mojifix.options import DEFAULT_OPTIONS

    lines = [row["text"] for row in load_paragraphs()]
    codecs = DEFAULT_OPTIONS.model_codecs
    texts = list(lines)
    for line in lines[::5]:
        for codec in codecs:
            texts.append(line.encode("utf-8").decode(codec, errors="replace"))
    skipped: dict[bool, int] = {True: 0, False: 0}
    missed = []
    for text in texts:
        for match in cjk._RUN_RE.finditer(text):
            run = match.group()
            for codec in codecs:
                multi = cjk.is_multi_byte(codec)
                quick = cjk._multi_byte_starter_re(codec) if multi else cjk._single_byte_pair_re(codec)
                if quick.search(run):
                    continue
                skipped[multi] += 1
                if cjk._atoms_of(run, codec):
                    missed.append((codec, run))
    assert missed == []
    assert skipped[True] > 10_000 and skipped[False] > 10_000, skipped
