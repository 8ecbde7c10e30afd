# The browser build's programs, after the libraries are defined (see web.cmake).
#
# warungmq: the GUI for a page. Its frame function is driven by the browser (platform_web.cpp);
# the scenarios, assets and the fonts are preloaded into the page's file system from
# warungmq.data. index.html (app/gui/web) is written by hand: Debian's emcc fails to emit .html.
set(WMQ_WEB_FONT_DIR /usr/share/fonts/truetype/dejavu)
target_link_options(warungmq PRIVATE
  -sALLOW_MEMORY_GROWTH=1
  -sENVIRONMENT=web
  -sEXPORTED_FUNCTIONS=_main,_wmq_state_json,_free
  -sEXPORTED_RUNTIME_METHODS=ccall,UTF8ToString,FS
  # Before the context exists: the scissor and blend state Dear ImGui reads back every frame,
  # answered on the page (gl_state_cache.js says why).
  "--pre-js=${WMQ_SOURCE_DIR}/app/gui/web/gl_state_cache.js"
  "--preload-file=${WMQ_SOURCE_DIR}/scenarios@/scenarios"
  "--preload-file=${WMQ_SOURCE_DIR}/assets@/assets"
  # The GUI bench scene, for web_frame_ms (tests/web/web_figures.py): a few kilobytes.
  "--preload-file=${WMQ_SOURCE_DIR}/tests/gui/data/pileup.toml@/bench/pileup.toml"
  "--preload-file=${WMQ_WEB_FONT_DIR}/DejaVuSans.ttf@${WMQ_WEB_FONT_DIR}/DejaVuSans.ttf"
  "--preload-file=${WMQ_WEB_FONT_DIR}/DejaVuSans-Bold.ttf@${WMQ_WEB_FONT_DIR}/DejaVuSans-Bold.ttf")
set_target_properties(warungmq PROPERTIES SUFFIX ".js"
  LINK_DEPENDS ${WMQ_SOURCE_DIR}/app/gui/web/gl_state_cache.js)

# warungmq_node: `warungmq run` for node, the same command line as natively, for the
# determinism check (tools/test). The scenarios and assets are embedded at the same fixed places;
# the working directory is the real one (node_fs.js mounts it), so relative paths such as
# `scenarios/03-a-cook-faints.toml --out build/report.json` mean what they mean natively.
add_executable(warungmq_node ${WMQ_SOURCE_DIR}/app/main.cpp)
target_link_libraries(warungmq_node PRIVATE wmq_warnings wmq_broker wmq_sim wmq_run_command
                                            CLI11::CLI11 nlohmann_json::nlohmann_json)
target_compile_definitions(warungmq_node PRIVATE WMQ_VERSION="${PROJECT_VERSION}")
target_link_options(warungmq_node PRIVATE
  -sALLOW_MEMORY_GROWTH=1
  -sENVIRONMENT=node
  -sEXIT_RUNTIME=1
  -lnodefs.js
  "--pre-js=${WMQ_SOURCE_DIR}/app/gui/web/node_fs.js"
  "--embed-file=${WMQ_SOURCE_DIR}/scenarios@/scenarios"
  "--embed-file=${WMQ_SOURCE_DIR}/assets@/assets")
set_target_properties(warungmq_node PROPERTIES SUFFIX ".js" OUTPUT_NAME warungmq_node)
