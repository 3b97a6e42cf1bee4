-- Display names of some customers, for the reports' top-customer lists. Read BY POSITION:
--   1 user id   2 name (first and last name, else the username)
-- :ids is replaced with an array literal of user ids.
SELECT u.id,
       COALESCE(NULLIF(btrim(u.first_name || ' ' || u.last_name), ''), u.username)
FROM public.auth_user u
WHERE u.id = ANY(:ids)
