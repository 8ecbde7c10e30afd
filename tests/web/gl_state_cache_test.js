// app/gui/web/gl_state_cache.js on a stand-in WebGL context (node has none): the values it
// answers are the context's, and it asks the context only when it cannot know them.
// Run: node tests/web/gl_state_cache_test.js ROOT
"use strict";
const assert = require("assert");
const path = require("path");

const GL_SCISSOR_BOX = 0x0c10;
const GL_BLEND_SRC_RGB = 0x80c9, GL_BLEND_DST_RGB = 0x80c8;
const GL_BLEND_SRC_ALPHA = 0x80cb, GL_BLEND_DST_ALPHA = 0x80ca;
const GL_BLEND_EQUATION_RGB = 0x8009, GL_BLEND_EQUATION_ALPHA = 0x883d;
const GL_VIEWPORT = 0x0ba2;
const ONE = 1, SRC_ALPHA = 0x0302, ONE_MINUS_SRC_ALPHA = 0x0303, FUNC_ADD = 0x8006;
const FUNC_SUBTRACT = 0x800a;

// A context that keeps its state the way WebGL does (a refused call changes nothing) and counts
// the queries that reach it.
class FakeContext {
  constructor() {
    this.state = new Map([
      [GL_SCISSOR_BOX, new Int32Array([0, 0, 300, 150])],
      [GL_VIEWPORT, new Int32Array([0, 0, 300, 150])],
      [GL_BLEND_SRC_RGB, ONE], [GL_BLEND_DST_RGB, 0], [GL_BLEND_SRC_ALPHA, ONE],
      [GL_BLEND_DST_ALPHA, 0], [GL_BLEND_EQUATION_RGB, FUNC_ADD],
      [GL_BLEND_EQUATION_ALPHA, FUNC_ADD],
    ]);
    this.queries = 0;
  }
  getParameter(p) {
    this.queries++;
    const v = this.state.get(p);
    return v instanceof Int32Array ? new Int32Array(v) : v;
  }
  scissor(x, y, w, h) {
    if (w < 0 || h < 0) return;  // INVALID_VALUE
    this.state.set(GL_SCISSOR_BOX, new Int32Array([x, y, w, h]));
  }
  blendFunc(s, d) { this.blendFuncSeparate(s, d, s, d); }
  blendFuncSeparate(sr, dr, sa, da) {
    if ([sr, dr, sa, da].some((f) => f === 0xdead)) return;  // INVALID_ENUM
    this.state.set(GL_BLEND_SRC_RGB, sr).set(GL_BLEND_DST_RGB, dr);
    this.state.set(GL_BLEND_SRC_ALPHA, sa).set(GL_BLEND_DST_ALPHA, da);
  }
  blendEquation(m) { this.blendEquationSeparate(m, m); }
  blendEquationSeparate(rgb, alpha) {
    if (rgb === 0xdead || alpha === 0xdead) return;
    this.state.set(GL_BLEND_EQUATION_RGB, rgb).set(GL_BLEND_EQUATION_ALPHA, alpha);
  }
}

const root = process.argv[2] || path.join(__dirname, "..", "..");
const cache = require(path.resolve(root, "app", "gui", "web", "gl_state_cache.js"));
cache.install(FakeContext.prototype);

function same(gl, pname) {
  const real = gl.state.get(pname);
  const said = gl.getParameter(pname);
  if (real instanceof Int32Array) {
    assert.deepStrictEqual(Array.from(said), Array.from(real), "pname 0x" + pname.toString(16));
  } else {
    assert.strictEqual(said, real, "pname 0x" + pname.toString(16));
  }
}

let checks = 0;
function check(name, body) {
  body(new FakeContext());
  checks++;
  console.log("ok - " + name);
}

check("the first query of a value asks the context, the next ones do not", (gl) => {
  same(gl, GL_SCISSOR_BOX);
  assert.strictEqual(gl.queries, 1);
  same(gl, GL_SCISSOR_BOX);
  assert.strictEqual(gl.queries, 1);
});

check("a scissor box set is answered without asking, as a fresh array each time", (gl) => {
  gl.scissor(4, 8, 100, 50);
  same(gl, GL_SCISSOR_BOX);
  assert.strictEqual(gl.queries, 0);
  const a = gl.getParameter(GL_SCISSOR_BOX);
  a[0] = 99;
  assert.strictEqual(gl.getParameter(GL_SCISSOR_BOX)[0], 4);
});

check("a refused scissor box leaves the value to the context", (gl) => {
  gl.scissor(4, 8, 100, 50);
  gl.scissor(1, 1, -5, 10);  // refused: the box stays 4, 8, 100, 50
  same(gl, GL_SCISSOR_BOX);
  assert.strictEqual(gl.queries, 1);
});

check("blendFunc and blendFuncSeparate set all four factors", (gl) => {
  gl.blendFunc(SRC_ALPHA, ONE_MINUS_SRC_ALPHA);
  for (const p of [GL_BLEND_SRC_RGB, GL_BLEND_DST_RGB, GL_BLEND_SRC_ALPHA, GL_BLEND_DST_ALPHA])
    same(gl, p);
  gl.blendFuncSeparate(SRC_ALPHA, ONE_MINUS_SRC_ALPHA, ONE, ONE_MINUS_SRC_ALPHA);
  for (const p of [GL_BLEND_SRC_RGB, GL_BLEND_DST_RGB, GL_BLEND_SRC_ALPHA, GL_BLEND_DST_ALPHA])
    same(gl, p);
  assert.strictEqual(gl.queries, 0);
});

check("a refused blend factor or equation leaves the values to the context", (gl) => {
  gl.blendFuncSeparate(SRC_ALPHA, ONE_MINUS_SRC_ALPHA, ONE, ONE_MINUS_SRC_ALPHA);
  gl.blendFuncSeparate(0xdead, ONE, ONE, ONE);
  for (const p of [GL_BLEND_SRC_RGB, GL_BLEND_DST_RGB, GL_BLEND_SRC_ALPHA, GL_BLEND_DST_ALPHA])
    same(gl, p);
  gl.blendEquation(FUNC_SUBTRACT);
  gl.blendEquationSeparate(FUNC_ADD, 0xdead);
  same(gl, GL_BLEND_EQUATION_RGB);
  same(gl, GL_BLEND_EQUATION_ALPHA);
  assert.strictEqual(gl.getParameter(GL_BLEND_EQUATION_RGB), FUNC_SUBTRACT);
});

check("blend equations set are answered without asking", (gl) => {
  gl.blendEquation(FUNC_SUBTRACT);
  same(gl, GL_BLEND_EQUATION_RGB);
  same(gl, GL_BLEND_EQUATION_ALPHA);
  gl.blendEquationSeparate(FUNC_ADD, FUNC_SUBTRACT);
  same(gl, GL_BLEND_EQUATION_RGB);
  same(gl, GL_BLEND_EQUATION_ALPHA);
  assert.strictEqual(gl.queries, 0);
});

check("every other query goes to the context", (gl) => {
  same(gl, GL_VIEWPORT);
  same(gl, GL_VIEWPORT);
  assert.strictEqual(gl.queries, 2);
});

check("each context knows its own values", (gl) => {
  const other = new FakeContext();
  gl.scissor(1, 2, 3, 4);
  other.scissor(5, 6, 7, 8);
  same(gl, GL_SCISSOR_BOX);
  same(other, GL_SCISSOR_BOX);
});

console.log(checks + " checks passed");
