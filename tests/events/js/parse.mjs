// Reads an iCalendar stream on stdin and prints, as JSON, what ical.js understands of it.
// Only the feed's own VTIMEZONEs are used: they are registered with ICAL.TimezoneService and
// a TZID without one is an error (ical.js carries no tz database of its own).
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

const calendar = new ICAL.Component(ICAL.parse(text));
ICAL.TimezoneService.reset();
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}

function instant(event, name) {
  const property = event.getFirstProperty(name);
  const tzid = property.getParameter("tzid");
  if (tzid && !ICAL.TimezoneService.has(tzid)) {
    throw new Error(`${name} uses TZID ${tzid} without a VTIMEZONE`);
  }
  const value = property.getFirstValue();
  if (!tzid && value.zone !== ICAL.Timezone.utcTimezone) {
    throw new Error(`${name} is a floating time`);
  }
  return value.toJSDate().toISOString().replace(".000Z", "Z");
}

const events = calendar.getAllSubcomponents("vevent").map((event) => ({
  uid: event.getFirstPropertyValue("uid"),
  sequence: event.getFirstPropertyValue("sequence"),
  status: event.getFirstPropertyValue("status"),
  summary: event.getFirstPropertyValue("summary"),
  starts_at: instant(event, "dtstart"),
  ends_at: instant(event, "dtend"),
}));
process.stdout.write(JSON.stringify({
  method: calendar.getFirstPropertyValue("method"),
  name: calendar.getFirstPropertyValue("name"),
  events,
}));
