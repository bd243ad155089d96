<?php
// complete_course.php - for tests/formats/test_moodle_restore.py: what happens after a student has finished every
// activity. A teacher turns the restored course badge on (Moodle restores badges switched off), and Moodle's
// completion task marks the course complete; the course_completed event then awards the badge, as on a live site.
//
//   php complete_course.php --course=SHORTNAME --user=USERNAME
//
// Prints, as its last line, JSON {"badges": [{"name", "status", "issued"}], "completed": N}. Exit 1 with the reason on stderr.
define('CLI_SCRIPT', true);
require(__DIR__ . '/cli.php');
$opts = moodle_cli_options($argv, ['course', 'user']);
require(getenv('MOODLE_DIR') . '/config.php');
require_once($CFG->libdir . '/badgeslib.php');
require_once($CFG->libdir . '/completionlib.php');
require_once($CFG->dirroot . '/completion/completion_completion.php');
\core\session\manager::set_user(get_admin());

$course = $DB->get_record('course', ['shortname' => $opts['course']], '*', MUST_EXIST);
$user = $DB->get_record('user', ['username' => $opts['user'], 'deleted' => 0], '*', MUST_EXIST);
foreach ($DB->get_records('badge', ['courseid' => $course->id]) as $record) {
    $badge = new badge($record->id);
    $badge->set_status(BADGE_STATUS_ACTIVE);          // «Enable access», as a teacher does after restoring
}
// The course's own completion criteria are every SCORM activity; the student has finished them all.
$completion = new completion_info($course);
foreach ($completion->get_criteria(COMPLETION_CRITERIA_TYPE_ACTIVITY) as $criterion) {
    $cm = get_coursemodule_from_id(null, $criterion->moduleinstance, $course->id, false, MUST_EXIST);
    $completion->update_state($cm, COMPLETION_COMPLETE, $user->id, true);
}
$task = new \core\task\completion_regular_task();
$task->execute();                                    // prints «Aggregating completions» (mtrace)
$out = ['badges' => [], 'completed' => (int)$DB->count_records_select('course_completions',
    'course = ? AND userid = ? AND timecompleted IS NOT NULL', [$course->id, $user->id])];
foreach ($DB->get_records('badge', ['courseid' => $course->id]) as $record) {
    $out['badges'][] = ['name' => $record->name, 'status' => (int)$record->status,
        'issued' => $DB->record_exists('badge_issued', ['badgeid' => $record->id, 'userid' => $user->id])];
}
echo json_encode($out), "\n";
