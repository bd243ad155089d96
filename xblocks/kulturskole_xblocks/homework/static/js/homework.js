/* Homework XBlock: the shared text form (xblocks/shared/static/js/submission.js) plus ticking off
 * the action-learning steps, each tick saved at once.
 */
function KulturskoleHomeworkXBlock(runtime, element, init) {
  'use strict';
  var form = KulturskoleSubmissionXBlock(runtime, element, init);
  var $el = $(element);
  var $progress = $el.find('.ks-progress');

  $el.find('.ks-step-box').on('change', function () {
    var $box = $(this);
    var done = $box.prop('checked');
    $box.prop('disabled', true);
    $.ajax({
      type: 'POST',
      url: runtime.handlerUrl(element, 'toggle_step'),
      data: JSON.stringify({step: parseInt($box.data('step'), 10), done: done}),
      contentType: 'application/json; charset=utf-8',
      dataType: 'json'
    }).done(function (data) {
      $progress.text((data.progress || '') + ' ' + (data.status || ''));
    }).fail(function (xhr) {
      $box.prop('checked', !done);
      $progress.text(form.messages.errorPrefix + ' ' + form.errorMessage(xhr));
    }).always(function () {
      $box.prop('disabled', false);
    });
  });

  return form;
}
