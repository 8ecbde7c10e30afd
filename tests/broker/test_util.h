// Shared fixtures for the broker tests: a sink that records, a listener that logs.
#pragma once

#include <string>
#include <vector>

#include "broker/broker.h"

namespace wmq::test {

struct Got {
  DeliveryTag tag;
  MessageId id;
  std::string body;
  uint32_t count;
  bool redelivered;
  std::string queue;
};

// Records everything the broker tells one client.
class Recorder : public SessionSink {
 public:
  void on_delivery(const Delivery& d) override {
    got.push_back(Got{d.tag, d.message->id(), std::string(d.message->body()), d.delivery_count,
                      d.redelivered, std::string(d.queue)});
  }
  void on_confirm(PublishSeq seq) override { confirms.push_back(seq); }
  void on_publish_nack(PublishSeq seq, const Status& why) override {
    nacks.push_back(seq);
    nack_reasons.push_back(why.message());
  }
  void on_state(SessionState s) override { states.push_back(s); }
  void on_cancel(ConsumerId c) override { cancelled.push_back(c); }

  std::vector<std::string> bodies() const {
    std::vector<std::string> out;
    for (const Got& g : got)
      out.push_back(g.body);
    return out;
  }

  std::vector<Got> got;
  std::vector<PublishSeq> confirms;
  std::vector<PublishSeq> nacks;
  std::vector<std::string> nack_reasons;
  std::vector<SessionState> states;
  std::vector<ConsumerId> cancelled;
};

// Logs events as "kind queue #id reason" lines.
class EventLog : public EventListener {
 public:
  void on_event(const Event& e) override {
    kinds.push_back(e.kind);
    if (e.kind == EventKind::kDropped || e.kind == EventKind::kDeadLettered)
      drops.push_back(e.drop);
    std::string line = event_kind_name(e.kind);
    if (!e.queue.empty()) line += " " + std::string(e.queue);
    if (e.message != 0) line += " #" + std::to_string(e.message);
    if (!e.reason.empty()) line += " " + std::string(e.reason);
    lines.push_back(line);
  }
  size_t count(EventKind k) const {
    size_t n = 0;
    for (EventKind x : kinds)
      n += x == k;
    return n;
  }
  bool has(const std::string& line) const {
    for (const std::string& l : lines) {
      if (l == line) return true;
    }
    return false;
  }
  std::vector<EventKind> kinds;
  std::vector<std::string> lines;
  std::vector<DropReason> drops;  // of kDropped and kDeadLettered, in order
};

inline Message msg(std::string body, std::string key = "") {
  Message m;
  m.body = std::move(body);
  m.routing_key = std::move(key);
  return m;
}

// An active session.
inline SessionId client(Broker& b, SessionSink* sink, std::string name = "c", Micros suspect = 0,
                        Micros dead = 0) {
  SessionOptions o;
  o.name = std::move(name);
  o.suspect_after = suspect;
  o.dead_after = dead;
  SessionId id = b.open_session(o, sink);
  (void)b.connected(id);
  return id;
}

inline QueueSnapshot queue_of(const Broker& b, const std::string& name) {
  for (QueueSnapshot& q : b.snapshot().queues) {
    if (q.name == name) return q;
  }
  return QueueSnapshot{};
}

}  // namespace wmq::test
