// A Kafka cluster for the tests: librdkafka's built-in mock cluster (rdkafka_mock.h, the Kafka protocol over
// TCP on localhost) with one topic, and a producer. Usage:
//
//   kafka_mock TOPIC PARTITIONS
//
// Prints the bootstrap servers on the first line of stdout, then reads commands on stdin, one per line:
//   produce FILE   every line of FILE as a message, line i (from 0) to partition i % PARTITIONS; prints
//                  "produced N" once all are acknowledged
// and exits at the end of stdin (the cluster goes with it).
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
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

  rd_kafka_conf_t* pconf = rd_kafka_conf_new();
  rd_kafka_conf_set(pconf, "bootstrap.servers", bootstraps.c_str(), err, sizeof err);
  rd_kafka_conf_set(pconf, "linger.ms", "5", err, sizeof err);
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, err, sizeof err);
  if (!producer) {
    std::fprintf(stderr, "kafka_mock: %s\n", err);
    return 1;
  }
  std::printf("%s\n", bootstraps.c_str());
  std::fflush(stdout);

  std::string command;
  while (std::getline(std::cin, command)) {
    if (command.rfind("produce ", 0) != 0) {
      std::fprintf(stderr, "kafka_mock: unknown command '%s'\n", command.c_str());
      continue;
    }
    std::ifstream in(command.substr(8), std::ios::binary);
    std::string line;
    long n = 0;
    while (std::getline(in, line)) {
      for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic),
                                                  RD_KAFKA_V_PARTITION(static_cast<int32_t>(n % partitions)),
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
  rd_kafka_destroy(producer);
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(host);
  return 0;
}
