// A Kafka cluster for the tests: librdkafka's built-in mock cluster (rdkafka_mock.h, the Kafka protocol over
// TCP on localhost) with one topic, and a producer. Usage:
//
//   kafka_mock TOPIC PARTITIONS
//
// Prints the bootstrap servers on the first line of stdout, then reads commands on stdin, one per line:
//   produce FILE [N [P]]  every line of FILE as a message, line i (from 0) to partition i % PARTITIONS (or
//                  all to partition P), in batches of at most N messages (0: librdkafka's default; the mock
//                  serves one batch per partition per fetch: small batches and an rtt make consumers read
//                  slowly); prints "produced LINES" once all are acknowledged
//   rtt MS         delays every response of the broker by MS milliseconds (0: none): a slow network, or
//                  a broker that hangs; prints "rtt MS"
//   down, up       the broker closes its connections and refuses new ones, or takes them again; prints
//                  "down" or "up"
// and exits at the end of stdin (the cluster goes with it).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: kafka_mock TOPIC PARTITIONS\n");
    return 2;
  }
  const char* topic = argv[1];
  int partitions = std::atoi(argv[2]);
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!host) {
    std::fprintf(stderr, "kafka_mock: %s\n", err);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(host, 1);
  if (!cluster || rd_kafka_mock_topic_create(cluster, topic, partitions, 1) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::fprintf(stderr, "kafka_mock: cannot create the mock cluster\n");
    return 1;
  }
  std::string bootstraps = rd_kafka_mock_cluster_bootstraps(cluster);

  // One producer per batch size asked for.
  std::map<int, rd_kafka_t*> producers;
  auto producer_for = [&](int batch) -> rd_kafka_t* {
    rd_kafka_t*& p = producers[batch];
    if (p) return p;
    rd_kafka_conf_t* pconf = rd_kafka_conf_new();
    rd_kafka_conf_set(pconf, "bootstrap.servers", bootstraps.c_str(), err, sizeof err);
    rd_kafka_conf_set(pconf, "linger.ms", "5", err, sizeof err);
    if (batch > 0)
      rd_kafka_conf_set(pconf, "batch.num.messages", std::to_string(batch).c_str(), err, sizeof err);
    p = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, err, sizeof err);
    if (!p) {
      std::fprintf(stderr, "kafka_mock: %s\n", err);
      std::exit(1);
    }
    return p;
  };
  std::printf("%s\n", bootstraps.c_str());
  std::fflush(stdout);

  std::string command;
  while (std::getline(std::cin, command)) {
    if (command.rfind("rtt ", 0) == 0 || command == "down" || command == "up") {
      rd_kafka_resp_err_t e = command == "down" ? rd_kafka_mock_broker_set_down(cluster, 1)
                              : command == "up"
                                  ? rd_kafka_mock_broker_set_up(cluster, 1)
                                  : rd_kafka_mock_broker_set_rtt(cluster, 1, std::atoi(command.c_str() + 4));
      if (e) std::fprintf(stderr, "kafka_mock: %s: %s\n", command.c_str(), rd_kafka_err2str(e));
      std::printf("%s\n", command.c_str());
      std::fflush(stdout);
      continue;
    }
    if (command.rfind("produce ", 0) != 0) {
      std::fprintf(stderr, "kafka_mock: unknown command '%s'\n", command.c_str());
      continue;
    }
    // FILE [N [PARTITION]]
    std::istringstream args(command.substr(8));
    std::string file;
    int batch = 0, only = -1;
    args >> file >> batch >> only;
    rd_kafka_t* producer = producer_for(batch);
    std::ifstream in(file, std::ios::binary);
    std::string line;
    long n = 0;
    while (std::getline(in, line)) {
      for (;;) {
        rd_kafka_resp_err_t e =
            rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic),
                              RD_KAFKA_V_PARTITION(static_cast<int32_t>(only >= 0 ? only : n % partitions)),
                              RD_KAFKA_V_VALUE(line.data(), line.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
          rd_kafka_poll(producer, 50);
          continue;
        }
        if (e) std::fprintf(stderr, "kafka_mock: produce: %s\n", rd_kafka_err2str(e));
        break;
      }
      ++n;
    }
    if (rd_kafka_flush(producer, 30'000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fprintf(stderr, "kafka_mock: flush timed out\n");
      return 1;
    }
    std::printf("produced %ld\n", n);
    std::fflush(stdout);
  }
  for (auto& [batch, producer] : producers) rd_kafka_destroy(producer);
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(host);
  return 0;
}
