// warungmq_node (cmake/web_targets.cmake): the real file system under /host, and the working
// directory the real one, so relative paths on the command line mean what they mean natively.
// The embedded /scenarios and /assets stay where the program looks for its defaults.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  FS.mkdir('/host');
  FS.mount(NODEFS, { root: '/' }, '/host');
  FS.chdir('/host' + process.cwd());
});
