# make bench: the jq program doing what events.spec.json does to
# gen-data's events (rename id, cast four fields, keep eight).  A value
# that does not cast is an error, as it is a rejected record for
# etl-transform.
{event_id: (.id | if type == "number" and . == floor then .
    else error("event_id: not an integer") end),
 title: (.title | if type == "string" then .
    else error("title: required") end),
 venue, city,
 starts_at: (.starts_at | strptime("%Y-%m-%dT%H:%M:%SZ") | todate),
 min_price: (.min_price | tonumber),
 max_price: (.max_price | tonumber),
 sold_out: (.sold_out | ascii_downcase
    | if IN("true", "1", "yes") then true
      elif IN("false", "0", "no") then false
      else error("sold_out: not a boolean") end)}
