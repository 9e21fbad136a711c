// Not compiled: a file that breaks the one door for randomness, so that the CTest
// random_streams.door_catches_a_rogue_stream can show that random_streams_door.cmake fails on it.
std::string rogue(const EventContext& context, const EventInstance& event, World& world) {
  const RandomStreams random(context.scenario.simulation.seed);
  return std::to_string(random.uniform(0, Purpose::Acquisition, 0, 0));
}
