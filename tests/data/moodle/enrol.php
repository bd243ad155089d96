<?php
// enrol.php - for tests/formats/test_moodle_restore.py: create a user (if missing), enrol them in a course with a
// role, and optionally add them to a course group, as an administrator would after restoring our backup.
//
//   php enrol.php --course=SHORTNAME --user=USERNAME --password=PW --role=student|editingteacher [--group=NAME]
//                 [--firstname=NAME --lastname=NAME]   (a new user's name; default: the role and the username)
//
// Prints JSON {"userid": N, "courseid": N, "groupid": N|null}. Exit 1 with the reason on stderr.
define('CLI_SCRIPT', true);
require(__DIR__ . '/cli.php');
$opts = moodle_cli_options($argv, ['course', 'user', 'password', 'role']);
require(getenv('MOODLE_DIR') . '/config.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->dirroot . '/group/lib.php');
require_once($CFG->libdir . '/enrollib.php');
\core\session\manager::set_user(get_admin());

$course = $DB->get_record('course', ['shortname' => $opts['course']], '*', MUST_EXIST);
$user = $DB->get_record('user', ['username' => $opts['user'], 'deleted' => 0]);
if (!$user) {
    $id = user_create_user((object)['username' => $opts['user'], 'password' => $opts['password'], 'auth' => 'manual',
        'firstname' => $opts['firstname'] ?? ucfirst($opts['role']), 'lastname' => $opts['lastname'] ?? $opts['user'], 'email' => $opts['user'] . '@example.com',
        'confirmed' => 1, 'mnethostid' => $CFG->mnet_localhost_id, 'lang' => 'en'], true, false);
    $user = $DB->get_record('user', ['id' => $id], '*', MUST_EXIST);
}
$role = $DB->get_record('role', ['shortname' => $opts['role']], '*', MUST_EXIST);
$manual = enrol_get_plugin('manual');
$instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual']);
if (!$instance) {
    $manual->add_default_instance($course);
    $instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual'], '*', MUST_EXIST);
}
$manual->enrol_user($instance, $user->id, $role->id);
$groupid = null;
if (!empty($opts['group'])) {
    $groupid = (int)$DB->get_field('groups', 'id', ['courseid' => $course->id, 'name' => $opts['group']], MUST_EXIST);
    groups_add_member($groupid, $user->id);
}
echo json_encode(['userid' => (int)$user->id, 'courseid' => (int)$course->id, 'groupid' => $groupid]), "\n";
