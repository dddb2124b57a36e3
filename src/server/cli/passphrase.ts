import { randomInt } from "node:crypto";
import { checkPasswordPolicy } from "../features/security/password/password-policy.js";

/*
 * 256 short, distinct, easy-to-type English words: 8 bits each. Four words and a two-digit
 * number give ≈ 38.6 bits from the CSPRNG, for throwaway demo and operator passwords that a
 * person types once and then changes; the length (≥ 20 characters) satisfies the policy.
 */
const WORDS = (
  "acorn amber anchor apple arch arrow aspen atlas autumn badge bagel bamboo banjo barley basil beacon " +
  "bison blossom bramble breeze brook bronze bucket cabin cactus camel candle canoe canyon caramel cargo " +
  "cedar cello chalk cherry cider cinder citrus clover cobalt comet copper coral cosmos cotton coyote " +
  "crane crater cricket crystal cypress daisy delta denim desert dingo dolphin dune eagle ember emerald " +
  "falcon fennel fern fiddle fig flint fjord forest fossil fox galaxy garnet geyser ginger glacier granite " +
  "grove gull harbor hazel heron hickory honey horizon husky iris island ivory jade jasmine jelly juniper " +
  "kayak kelp kettle kiwi koala lagoon lantern larch lava lemon lilac linen lotus lunar lynx magnet " +
  "mango maple marble meadow melon mesa meteor mint mocha monsoon moss nectar nickel nutmeg oasis " +
  "oat ocean olive onyx orbit orchid otter owl paddle panda papaya parsley pebble pecan pelican pepper " +
  "pine pixel plum polar pollen poppy prairie prism puffin quartz quill quince raven reef ridge river " +
  "robin rocket saffron sage salmon sapphire satin savanna scarlet sequoia shadow shell sierra silk " +
  "silver sparrow spruce squash summit sunset swallow tango thistle thunder tiger timber topaz tulip " +
  "tundra turtle umber valley vanilla velvet violet walnut walrus wander willow window winter yarrow " +
  "yodel zephyr zinnia beetle biscuit blizzard bobcat canary cashew chestnut clementine cocoa condor " +
  "dahlia driftwood espresso firefly gazelle harvest hummingbird jackal lichen mallow marigold nimbus " +
  "osprey paprika quokka riddle sorrel tamarind trellis truffle wombat yucca zucchini basalt alpine bayou " +
  "beryl birch cairn cobble dewdrop falafel gecko glimmer hamlet igloo jigsaw kernel lupine muffin nomad " +
  "oyster pumice rhubarb sherbet"
).split(" ");

/**
 * A random passphrase like `maple-orbit-canyon-velvet-42`, checked against the password policy
 * with the person's own email and names (`userInputs`), so it is never refused when used.
 */
export function generatePassphrase(minLength = 15, userInputs: Array<string | null | undefined> = []): string {
  for (;;) {
    const words = Array.from({ length: 4 }, () => WORDS[randomInt(WORDS.length)] ?? "word");
    let candidate = `${words.join("-")}-${randomInt(10, 100)}`;
    while ([...candidate].length < minLength) candidate = `${WORDS[randomInt(WORDS.length)] ?? "word"}-${candidate}`;
    if (checkPasswordPolicy(candidate, { minLength, userInputs }).ok) return candidate;
  }
}

/** The word list (tests check it holds 256 distinct words). */
export const PASSPHRASE_WORDS: readonly string[] = WORDS;
