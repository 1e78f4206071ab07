-- kenpo schema, version 17: the staff review console (issue 12 item 3).
--
-- audit.staff_id: the staff member who made a decision or a change in the
--   console (a login, an enrolment, a review decision, an inquiry answer), or
--   NULL (a member's own request, kenpoctl). account_id keeps naming the member
--   concerned, so a member's audit trail shows who decided on her.
-- verifications.reject_note is not needed: note already holds the note for
--   the member (0013).
ALTER TABLE audit
  ADD COLUMN staff_id BIGINT UNSIGNED NULL AFTER account_id,
  ADD KEY audit_staff (staff_id, created_at);
