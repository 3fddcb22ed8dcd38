// Preload for the worker processes of benchmarks/probes/dist-roundtrip-profile.mjs: the first SIGUSR2
// starts node:inspector's CPU profiler (50 µs sampling), the second writes
// $PROFILE_DIR/worker-<pid>.cpuprofile. (`--cpu-prof` cannot be passed in NODE_OPTIONS.)
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');
const session = new inspector.Session();
session.connect();
let on = false;
process.on('SIGUSR2', () => {
  if (!on) {
    on = true;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 50 }, () => session.post('Profiler.start')));
    return;
  }
  on = false;
  session.post('Profiler.stop', (err, { profile }) => {
    if (!err) writeFileSync(`${process.env.PROFILE_DIR || '/tmp'}/worker-${process.pid}.cpuprofile`, JSON.stringify(profile));
  });
});
