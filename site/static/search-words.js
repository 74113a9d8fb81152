// The words of a query, read as kg/match/words.py reads a name (`fold`), and the shard of
// the prebuilt index that holds a word (`shardKey`, as kg/site/search_index.py). This is all
// the normalisation the browser does: names themselves were folded at build time by the
// server's Python code. tests/site/test_search_words.py checks both against the Python.
"use strict";

const CJK_CHAR = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;

function fold(text) {
  // NFKD, marks removed, case folded (toLowerCase, and the two folds it lacks: ß and final
  // sigma), each Chinese character a word, words of letters and digits.
  const plain = text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase()
    .replace(/ß/g, "ss").replace(/ς/g, "σ");
  const spaced = plain.replace(new RegExp(CJK_CHAR.source, "gu"), " $& ");
  return spaced.match(/[\p{L}\p{N}]+/gu) || [];
}

function isCjk(word) {
  return CJK_CHAR.test(word);
}

function shardKey(word) {
  const latin = /^[a-z0-9]{1,2}/.exec(word);
  return latin ? latin[0] : "u-" + (word.codePointAt(0) >> 7).toString(16);
}

if (typeof module !== "undefined") module.exports = { fold, isCjk, shardKey };
