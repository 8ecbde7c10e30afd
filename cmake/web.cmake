# The browser build (emcmake cmake, through tools/web): what find_package and pkg-config give the
# desktop build, made from Debian's sources for em++. tools/web unpacks Dear ImGui and SQLite under
# WMQ_WEB_SOURCES and links the header-only libraries into WMQ_WEB_INCLUDE; never /usr/include
# itself, whose glibc headers em++ must not see.
set(WMQ_WEB_SOURCES "" CACHE PATH "Unpacked imgui/ and sqlite3/ (with sqlite3.c) source packages")
set(WMQ_WEB_INCLUDE "" CACHE PATH "Folder of links to toml11, nlohmann-json, CLI11, stb headers")
if(NOT EXISTS "${WMQ_WEB_SOURCES}/imgui/imgui.cpp" OR
   NOT EXISTS "${WMQ_WEB_SOURCES}/sqlite3/sqlite3.c" OR NOT IS_DIRECTORY "${WMQ_WEB_INCLUDE}")
  message(FATAL_ERROR "the web build needs WMQ_WEB_SOURCES and WMQ_WEB_INCLUDE: run tools/web")
endif()

# CLI11 and toml11 report bad input by throwing; emscripten leaves exceptions off by default.
enable_language(C)

add_compile_options(-fexceptions)
add_link_options(-fexceptions)

# A page cannot listen on a socket: no `serve`, no --listen (main.cpp, broker/stomp).
set(WMQ_STOMP_SERVER OFF CACHE BOOL "" FORCE)

# In the page's file system the data files sit at fixed places (warungmq.data puts them there).
set(WMQ_ASSETS_DIR /assets)
set(WMQ_SCENARIOS_DIR /scenarios)

add_library(wmq_web_headers INTERFACE)
target_include_directories(wmq_web_headers SYSTEM INTERFACE ${WMQ_WEB_INCLUDE})
add_library(nlohmann_json::nlohmann_json ALIAS wmq_web_headers)
add_library(CLI11::CLI11 ALIAS wmq_web_headers)
add_library(wmq_toml ALIAS wmq_web_headers)

# SQLite from its amalgamation: one thread, no dlopen in a page.
add_library(wmq_sqlite STATIC ${WMQ_WEB_SOURCES}/sqlite3/sqlite3.c)
set_source_files_properties(${WMQ_WEB_SOURCES}/sqlite3/sqlite3.c PROPERTIES LANGUAGE C)
target_compile_definitions(wmq_sqlite PRIVATE SQLITE_THREADSAFE=0 SQLITE_OMIT_LOAD_EXTENSION)
target_include_directories(wmq_sqlite SYSTEM PUBLIC ${WMQ_WEB_SOURCES}/sqlite3)
add_library(SQLite::SQLite3 ALIAS wmq_sqlite)

# Dear ImGui with the GLFW (emscripten's own JavaScript GLFW) and OpenGL 3 (WebGL2) backends, and
# the PNG writer the screenshots use.
set(WMQ_IMGUI_DIR ${WMQ_WEB_SOURCES}/imgui)
# file(CONFIGURE) writes only when the text changes: a rerun of tools/web relinks nothing.
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/stb_image_write.c
     CONTENT "#define STB_IMAGE_WRITE_IMPLEMENTATION\n#include <stb_image_write.h>\n")
add_library(wmq_imgui_web STATIC
  ${WMQ_IMGUI_DIR}/imgui.cpp
  ${WMQ_IMGUI_DIR}/imgui_demo.cpp
  ${WMQ_IMGUI_DIR}/imgui_draw.cpp
  ${WMQ_IMGUI_DIR}/imgui_tables.cpp
  ${WMQ_IMGUI_DIR}/imgui_widgets.cpp
  ${WMQ_IMGUI_DIR}/backends/imgui_impl_glfw.cpp
  ${WMQ_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp
  ${CMAKE_BINARY_DIR}/stb_image_write.c)
target_include_directories(wmq_imgui_web SYSTEM PUBLIC ${WMQ_IMGUI_DIR} ${WMQ_WEB_INCLUDE})
# WebGL2 is OpenGL ES 3.0 (the backend would pick ES 2 for emscripten by itself).
target_compile_definitions(wmq_imgui_web PRIVATE IMGUI_IMPL_OPENGL_ES3)
target_link_options(wmq_imgui_web PUBLIC -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2
                    -sMAX_WEBGL_VERSION=2 -sFULL_ES3=1)
add_library(wmq_imgui ALIAS wmq_imgui_web)
