package plan

// Dedupe collapses identical encodings so each is encoded once. Outputs
// often want the same rendition (the 720p h264 HLS rung and a 720p h264 MP4
// at the same quality); encoding it twice would double the cost for a
// byte-identical result, so the planner encodes it once and packages it
// twice.
//
// Two encodings are identical when every field of Encoding matches: codec,
// size, frame rate, rate control (CRF, bitrate, ceiling), preset, profile,
// tune and GOP. Comparing all fields is deliberately conservative: two
// renditions are merged only when an encoder would receive exactly the same
// settings.
//
// unique keeps the order of first appearance, so plans are deterministic;
// index[i] is the position in unique of renditions[i].
func Dedupe(renditions []Encoding) (unique []Encoding, index []int) {
	index = make([]int, len(renditions))
	seen := make(map[Encoding]int, len(renditions))
	for i, e := range renditions {
		j, ok := seen[e]
		if !ok {
			j = len(unique)
			seen[e] = j
			unique = append(unique, e)
		}
		index[i] = j
	}
	return unique, index
}
