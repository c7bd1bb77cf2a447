/*
 * Borderline embed helper for host pages. Include it once, anywhere on a page
 * that frames Borderline's /embed:
 *
 *   <iframe src="https://borderline.example/embed?date=2020-08-27" data-borderline-responsive
 *           title="Borderline map" width="100%" height="520" style="border:0"></iframe>
 *   <script async src="https://borderline.example/embed.js"></script>
 *
 * The embed posts {type: "borderline-height", height: <CSS pixels>} to its
 * parent whenever the height it needs changes; this script sets that height on
 * the iframe that sent it, once it has checked that the message comes from the
 * origin of that iframe's src (another frame cannot resize it). Frames added
 * later are handled too. Plain ES5, no globals, nothing else on the page touched.
 */
(function () {
  'use strict';
  var TYPE = 'borderline-height';
  var MIN = 200;
  var MAX = 3000;

  function originOf(src) {
    try {
      return new URL(src, window.location.href).origin;
    } catch (e) {
      return null;
    }
  }

  window.addEventListener('message', function (event) {
    var msg = event.data;
    if (!msg || typeof msg !== 'object' || msg.type !== TYPE) return;
    var height = Number(msg.height);
    if (!isFinite(height)) return;
    var frames = document.querySelectorAll('iframe[data-borderline-responsive]');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (originOf(frame.src) !== event.origin) return;
      frame.style.height = Math.round(Math.min(MAX, Math.max(MIN, height))) + 'px';
      frame.setAttribute('data-borderline-height', String(Math.round(height)));
      return;
    }
  });
}());
