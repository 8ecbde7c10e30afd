// The scissor box and the blend state, answered on the page instead of by the GPU process.
//
// Dear ImGui's OpenGL backend reads them back every frame, to put them back after drawing. In
// Chromium those getParameter() queries are not answered from the page's own copy of the state:
// each one waits until the GPU process has done everything queued so far. Under SwiftShader a
// frame's SCISSOR_BOX query took 16 ms, nearly the whole frame (tests/web/web_figures.py,
// web_frame_ms). Every change of these values goes through the wrapped setters below, so the
// page knows them exactly: a query asks the real context only the first time for each value,
// and again after a call whose arguments the context might refuse (its state then is what the
// context says, not what was asked for).
//
// Loaded with --pre-js before the program creates its context; in node (the determinism build)
// there is no WebGL and it does nothing. gl_state_cache_test.js tests it.
(function (scope) {
  var GL_SCISSOR_BOX = 0x0c10;
  var GL_BLEND_EQUATION_RGB = 0x8009;
  var GL_BLEND_EQUATION_ALPHA = 0x883d;
  var GL_BLEND_DST_RGB = 0x80c8;
  var GL_BLEND_SRC_RGB = 0x80c9;
  var GL_BLEND_DST_ALPHA = 0x80ca;
  var GL_BLEND_SRC_ALPHA = 0x80cb;
  var CACHED = [GL_SCISSOR_BOX, GL_BLEND_EQUATION_RGB, GL_BLEND_EQUATION_ALPHA, GL_BLEND_DST_RGB,
                GL_BLEND_SRC_RGB, GL_BLEND_DST_ALPHA, GL_BLEND_SRC_ALPHA];
  // What blendFunc* and blendEquation* accept (WebGL 2; MIN and MAX are WebGL 2's).
  var FACTORS = [0, 1, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0305, 0x0306, 0x0307, 0x0308,
                 0x8001, 0x8002, 0x8003, 0x8004];
  var EQUATIONS = [0x8006, 0x800a, 0x800b, 0x8007, 0x8008];

  function is_int(v) {
    return typeof v === "number" && (v | 0) === v;
  }

  function install(proto) {
    if (proto.__wmqStateCache) return;
    proto.__wmqStateCache = true;
    var get = proto.getParameter;
    var scissor = proto.scissor;
    var blendFunc = proto.blendFunc;
    var blendFuncSeparate = proto.blendFuncSeparate;
    var blendEquation = proto.blendEquation;
    var blendEquationSeparate = proto.blendEquationSeparate;

    function known(gl) {
      if (!gl.__wmqKnown) gl.__wmqKnown = new Map();
      return gl.__wmqKnown;
    }
    // Sets `values` (pname -> value) when `ok`; otherwise forgets those pnames, so the next
    // query asks the context.
    function learn(gl, ok, values) {
      var k = known(gl);
      for (var p in values) {
        if (ok) {
          k.set(Number(p), values[p]);
        } else {
          k.delete(Number(p));
        }
      }
    }

    proto.getParameter = function (pname) {
      if (CACHED.indexOf(pname) < 0) return get.call(this, pname);
      var k = known(this);
      if (!k.has(pname)) k.set(pname, get.call(this, pname));
      var v = k.get(pname);
      // The real call returns a new array each time; so does this.
      return v instanceof Int32Array ? new Int32Array(v) : v;
    };
    proto.scissor = function (x, y, w, h) {
      var box = {};
      box[GL_SCISSOR_BOX] = new Int32Array([x, y, w, h]);
      learn(this, is_int(x) && is_int(y) && is_int(w) && is_int(h) && w >= 0 && h >= 0, box);
      return scissor.call(this, x, y, w, h);
    };
    proto.blendFunc = function (src, dst) {
      var v = {};
      v[GL_BLEND_SRC_RGB] = v[GL_BLEND_SRC_ALPHA] = src;
      v[GL_BLEND_DST_RGB] = v[GL_BLEND_DST_ALPHA] = dst;
      learn(this, FACTORS.indexOf(src) >= 0 && FACTORS.indexOf(dst) >= 0, v);
      return blendFunc.call(this, src, dst);
    };
    proto.blendFuncSeparate = function (src_rgb, dst_rgb, src_alpha, dst_alpha) {
      var v = {};
      v[GL_BLEND_SRC_RGB] = src_rgb;
      v[GL_BLEND_DST_RGB] = dst_rgb;
      v[GL_BLEND_SRC_ALPHA] = src_alpha;
      v[GL_BLEND_DST_ALPHA] = dst_alpha;
      var ok = [src_rgb, dst_rgb, src_alpha, dst_alpha].every(function (f) {
        return FACTORS.indexOf(f) >= 0;
      });
      learn(this, ok, v);
      return blendFuncSeparate.call(this, src_rgb, dst_rgb, src_alpha, dst_alpha);
    };
    proto.blendEquation = function (mode) {
      var v = {};
      v[GL_BLEND_EQUATION_RGB] = v[GL_BLEND_EQUATION_ALPHA] = mode;
      learn(this, EQUATIONS.indexOf(mode) >= 0, v);
      return blendEquation.call(this, mode);
    };
    proto.blendEquationSeparate = function (rgb, alpha) {
      var v = {};
      v[GL_BLEND_EQUATION_RGB] = rgb;
      v[GL_BLEND_EQUATION_ALPHA] = alpha;
      learn(this, EQUATIONS.indexOf(rgb) >= 0 && EQUATIONS.indexOf(alpha) >= 0, v);
      return blendEquationSeparate.call(this, rgb, alpha);
    };
  }

  if (typeof scope.WebGLRenderingContext !== "undefined") install(scope.WebGLRenderingContext.prototype);
  if (typeof scope.WebGL2RenderingContext !== "undefined") install(scope.WebGL2RenderingContext.prototype);
  if (typeof module !== "undefined" && module.exports) module.exports = { install: install };
})(typeof globalThis !== "undefined" ? globalThis : this);
