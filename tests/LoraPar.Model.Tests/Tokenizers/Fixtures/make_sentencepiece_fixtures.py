#!/usr/bin/python3
"""Reference ids and texts for lorapar's SentencePiece tokenizer, from Google's implementation.

Run with Debian's python3-sentencepiece (apt-get install -y python3-sentencepiece; this script was run with 0.1.97):

    /usr/bin/python3 make_sentencepiece_fixtures.py /path/to/shared

It writes, next to itself:
  llama2.jsonl.gz      LLaMA-2's tokenizer.model (shared/models/llama2-tokenizer) on a GSM8K sample, all of HumanEval
                       and adversarial strings: {"source", "text", "ids", "decoded"} per string (ids without BOS, decoded
                       = decode(ids)); {"source": "decode", "ids", "decoded", "decoded_skip_special"} for id sequences
                       no encoding produces (decoded_skip_special: the control and unknown ids left out first, as Hugging
                       Face's skip_special_tokens does);
                       {"source": "humaneval-continuation", "task_id", "prompt_ids", "ids", "decoded", "decoded_alone"}:
                       a canonical solution as the model would emit it after the prompt (decoded = the text that
                       decode(prompt_ids + ids) adds after decode(prompt_ids); decoded_alone = decode(ids)).
  tiny-bpe.model       a small BPE model trained here (byte fallback, a user-defined symbol, whitespace-only pieces),
  tiny-bpe.jsonl.gz    and its ids and texts on the adversarial strings, so the tests run without shared/.

GSM8K sample: the first 300 rows of train.jsonl plus every row whose question or answer has a run of three or more
equal characters other than digits and '#' (where merge order decides); question and answer are encoded separately.
"""
import gzip
import json
import os
import random
import re
import sys

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))


def adversarial():
    out = []
    for n in list(range(1, 21)) + [23, 31, 32, 33, 40, 64]:
        for c in [" ", "a", "0", "=", "-", "\n", "\t", "▁", "é", "中", "😀", "#", "*", "."]:
            out += [c * n, "x" + c * n + "y", c * n + "end", "start" + c * n]
    out += ["", " ", "  ", " leading", "trailing ", "  both  ", "\n", "\n hello", "\nhello", " \n ", "\r\n\r\n", "a\rb",
            "Hello world", "hello", "Hello", "HELLO", "<s>", "</s>", "<unk>", "<0x41>", "<s> hi </s>", "\x00", "a\x00b",
            "\x01\x02\x1f\x7f", "\u00a0nbsp\u00a0", "\u3000ideographic\u3000", "thin\u2009space", "\ufeffbom", "\ufffd",
            "caf\u00e9", "cafe\u0301", "\u00c5ngstr\u00f6m", "Stra\u00dfe", "na\u00efve r\u00e9sum\u00e9", "\u0130stanbul",
            "日本語のテキスト", "中文分词测试，标点。", "한국어 텍스트", "Ελληνικά", "Русский текст", "עברית", "العربية",
            "हिन्दी", "ไทย", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝟘𝟙𝟚", "👩‍👩‍👧‍👦", "🇩🇪🇯🇵", "👍🏽", "e\u0301\u0302\u0303", "\ue000\uf8ff",
            "∑_{i=1}^{n} x_i ≤ ∞", "½ ¾ ⅓", "1,000,000", "3.14159", "-42", "$1,234.56", "100%", "2^10=1024",
            "def f(x):\n    return x\n", "\tif x:\n\t\tpass", "    \n    \n", "a  b   c    d", "''' \"\"\" ```", "http://x.y/z?q=1&r=2"]
    rng = random.Random(18)
    pools = [" ", "  ", "\n", "\t", "a", "b", "The", " the", "1", "23", ",", ".", "é", "ß", "中", "文", "😀", "🎉", "▁", "\u200d",
             "\x00", "<", ">", "s", "/", "0x", "{", "}", "'", "\"", "Ж", "ا", "\u0301", "𝔘", "\ufffd"]
    for _ in range(400):
        out.append("".join(rng.choice(pools) for _ in range(rng.randint(1, 30))))
    return out


def decode_cases(sp):
    size = sp.get_piece_size()
    space = sp.piece_to_id("▁")
    hello = sp.piece_to_id("▁hello")
    byte = lambda b: sp.piece_to_id("<0x%02X>" % b)
    cases = [[byte(0x0A), hello], [1, hello], [space, hello], [space], [space, space, hello], [0, hello], [hello, 0],
             [byte(0xE2)], [byte(0xE2), byte(0x82)], [byte(0xE2), hello], [2, hello], [1, byte(0x0A), hello],
             [byte(0xF0), byte(0x9F), byte(0x98), byte(0x80), hello], [byte(0x80), byte(0xBF)], [byte(0xC0), byte(0xAF)],
             [byte(0xED), byte(0xA0), byte(0x80)], [byte(0xF4), byte(0x90), byte(0x80), byte(0x80)], [byte(0xEF), byte(0xBF), byte(0xBD)],
             [byte(0x20), hello], [0], [0, 0], [1], [2], [], [hello, 1, hello, 2, hello]]
    rng = random.Random(2)
    for _ in range(400):
        ids = []
        for _ in range(rng.randint(1, 16)):
            r = rng.random()
            ids.append(rng.randrange(0, 3) if r < 0.1 else byte(rng.randrange(256)) if r < 0.5 else space if r < 0.6
                       else rng.randrange(259, size))
        cases.append(ids)
    return cases


def gsm8k_sample(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    run = re.compile(r"([^0-9#])\1\1", re.S)
    picked = [r for i, r in enumerate(rows) if i < 300 or run.search(r["question"]) or run.search(r["answer"])]
    return [s for r in picked for s in (r["question"], r["answer"])]


def humaneval(path):
    return [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]


def decode_row(sp, ids):
    kept = [i for i in ids if not sp.is_control(i) and not sp.is_unknown(i)]
    return {"source": "decode", "ids": ids, "decoded": sp.decode(ids), "decoded_skip_special": sp.decode(kept)}


def encode_row(sp, source, text):
    ids = sp.encode(text)
    return {"source": source, "text": text, "ids": ids, "decoded": sp.decode(ids)}


def continuation_row(sp, problem):
    prompt, solution = problem["prompt"], problem["canonical_solution"]
    prompt_ids, full = sp.encode(prompt), sp.encode(prompt + solution)
    assert full[:len(prompt_ids)] == prompt_ids, problem["task_id"]
    ids = full[len(prompt_ids):]
    head, whole = sp.decode(prompt_ids), sp.decode(full)
    assert head == prompt and whole == prompt + solution, problem["task_id"]
    return {"source": "humaneval-continuation", "task_id": problem["task_id"], "prompt_ids": prompt_ids, "ids": ids,
            "decoded": whole[len(head):], "decoded_alone": sp.decode(ids)}


def write(name, rows):
    with gzip.GzipFile(os.path.join(HERE, name), "wb", mtime=0) as f:
        for row in rows:
            f.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))


def train_tiny(shared):
    problems = humaneval(os.path.join(shared, "datasets/humaneval/HumanEval.jsonl.gz"))[:40]
    corpus = os.path.join(HERE, "tiny-bpe-corpus.tmp")
    with open(corpus, "w", encoding="utf-8") as f:
        for p in problems:
            f.write(p["prompt"] + p["canonical_solution"] + "\n")
        f.write("\n".join(gsm8k_sample(os.path.join(shared, "datasets/gsm8k/train.jsonl"))[:400]) + "\n")
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=os.path.join(HERE, "tiny-bpe"), model_type="bpe", vocab_size=700,
        character_coverage=0.99, byte_fallback=True, normalization_rule_name="identity", add_dummy_prefix=True,
        remove_extra_whitespaces=False, allow_whitespace_only_pieces=True, split_digits=True,
        user_defined_symbols=["```"], num_threads=1, minloglevel=2)
    os.remove(corpus)
    os.remove(os.path.join(HERE, "tiny-bpe.vocab"))


def main(shared):
    llama = spm.SentencePieceProcessor(model_file=os.path.join(shared, "models/llama2-tokenizer/tokenizer.model"))
    problems = humaneval(os.path.join(shared, "datasets/humaneval/HumanEval.jsonl.gz"))
    rows = [encode_row(llama, "gsm8k", s) for s in gsm8k_sample(os.path.join(shared, "datasets/gsm8k/train.jsonl"))]
    for p in problems:
        for text in (p["prompt"], p["canonical_solution"], p["test"], p["prompt"] + p["canonical_solution"]):
            rows.append(encode_row(llama, "humaneval", text))
    rows += [encode_row(llama, "adversarial", s) for s in adversarial()]
    rows += [decode_row(llama, ids) for ids in decode_cases(llama)]
    rows += [continuation_row(llama, p) for p in problems]
    write("llama2.jsonl.gz", rows)

    train_tiny(shared)
    tiny = spm.SentencePieceProcessor(model_file=os.path.join(HERE, "tiny-bpe.model"))
    texts = adversarial() + ["```python\nx = 1\n```", "a```b", "`` ```` `"] + [p["canonical_solution"] for p in problems[100:]]
    rows = [encode_row(tiny, "adversarial", s) for s in texts]
    rows += [decode_row(tiny, ids) for ids in decode_cases(tiny)]
    write("tiny-bpe.jsonl.gz", rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared")
