/* The text form both kulturskole blocks share: character counter, save a draft, submit.
 *
 * Reflection uses KulturskoleSubmissionXBlock as its init function; homework calls it and adds
 * its checklist, reusing the messages and error handling it returns.
 * Uses jQuery's $.ajax because both the workbench and the LMS add the CSRF header
 * to jQuery requests (a bare fetch() gets HTTP 403). Learner text is only ever
 * written with .val()/.text(), never as HTML.
 */
function KulturskoleSubmissionXBlock(runtime, element, init) {
  'use strict';
  var $el = $(element);
  var $form = $el.find('.ks-form');
  var $text = $el.find('.ks-text');
  var $counter = $el.find('.ks-counter');
  var $status = $el.find('.ks-status');
  var $buttons = $el.find('.ks-save-draft, .ks-submit');
  var messages = init.messages || {};
  var minLength = init.minLength || 0;
  var maxLength = init.maxLength || 0;

  function showStatus(message, isError) {
    $status.toggleClass('ks-status-error', !!isError);
    $status.text(isError ? (messages.errorPrefix + ' ' + message) : message);
  }

  function updateCounter() {
    var count = $text.val().length;
    $counter.text(messages.counter.replace('{count}', count).replace('{max}', maxLength));
  }

  function errorMessage(xhr) {
    if (xhr && xhr.responseJSON && xhr.responseJSON.error) {
      return xhr.responseJSON.error;
    }
    return messages.networkError;
  }

  function post(handler, payload) {
    $buttons.prop('disabled', true);
    showStatus(messages.saving, false);
    return $.ajax({
      type: 'POST',
      url: runtime.handlerUrl(element, handler),
      data: JSON.stringify(payload),
      contentType: 'application/json; charset=utf-8',
      dataType: 'json'
    }).always(function () {
      $buttons.prop('disabled', false);
    }).fail(function (xhr) {
      showStatus(errorMessage(xhr), true);
    });
  }

  $text.on('input', updateCounter);

  $el.find('.ks-save-draft').on('click', function () {
    post('save_draft', {text: $text.val()}).done(function (data) {
      showStatus(data.status || messages.draftSaved, false);
    });
  });

  $form.on('submit', function (event) {
    event.preventDefault();
    var value = $text.val();
    var trimmed = $.trim(value).length;
    if (trimmed === 0 || trimmed < minLength) {
      showStatus(trimmed === 0 ? messages.empty : messages.tooShort, true);
      $text.trigger('focus');
      return;
    }
    if (maxLength && value.length > maxLength) {
      showStatus(messages.tooLong, true);
      $text.trigger('focus');
      return;
    }
    post('submit', {text: value}).done(function (data) {
      $status.addClass('ks-status-submitted');
      showStatus(data.status || messages.submitted, false);
    });
  });

  updateCounter();
  return {messages: messages, errorMessage: errorMessage};
}
