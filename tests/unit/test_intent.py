"""Table-driven: what people say, and what the bot makes of it.

Each row is (text, chat, intent, expected args). The chat is a short code: "v" a 6.2 s video,
"p1".."p9" that many photos, "vp2" both, "g" a group, "-" nothing held. Expected args are a
subset of the plan's args; the key "error" is the plan's error code (None: no error). The
intent "ask" is a possible instruction without evidence: no job, and the expected args are
those of the job offered.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.intent import JOB_INTENTS, parse
from bot.domain.models import ChatContext, Intent
from bot.domain.planner import plan
from bot.explain import explain_json


def chat(code: str) -> ChatContext:
    group = code.endswith("g")
    code = code.removesuffix("g")
    video = 6.2 if code.startswith("v") else None
    code = code.removeprefix("v")
    photos = int(code[1:]) if code.startswith("p") else 0
    return ChatContext(video_seconds=video, photos=photos, group=group)


def run(text: str, code: str, intent: str, expected: dict[str, Any]) -> None:
    if intent == "ask":  # a possible instruction: no job, a question, and the job it offers
        asked = explain_json(text, chat(code))
        assert asked["intent"] == "none" and asked.get("ask") is True, (text, asked)
        offer = asked["offer"]
        for key, value in expected.items():
            got = (offer["error"] or {}).get("code") if key == "error" else offer["args"].get(key)
            assert got == value, (text, key, offer)
        return
    result = plan(text, chat(code))
    assert result.intent.value == intent, (text, result)
    for key, value in expected.items():
        if key == "error":
            got = result.error.code.value if result.error else None
            assert got == value, (text, result)
        else:
            assert result.args.get(key) == value, (text, key, result.args)
    if intent == "local_edit":
        assert result.model is None and result.estimated_cost_usd == 0
    elif intent not in {i.value for i in JOB_INTENTS}:
        assert result.model is None and result.args == {} and result.error is None


FF = "first_frame"
EF = "end_frame"


def frames(*items: tuple[int, str | None]) -> list[dict[str, str]]:
    return [{"image": f"<image{i}>"} | ({"type": t} if t else {}) for i, t in items]


CONVERSATION = [
    # undo
    ("undo", "v", "undo"), ("Undo", "v", "undo"), ("UNDO!", "v", "undo"),
    ("undo that", "v", "undo"), ("undo it please", "v", "undo"),
    ("undo the last change", "v", "undo"), ("go back", "v", "undo"),
    ("go back one step", "v", "undo"), ("go back to the previous version", "v", "undo"),
    ("revert", "v", "undo"), ("revert that", "v", "undo"), ("previous version", "v", "undo"),
    ("take it back", "v", "undo"), ("/undo", "v", "undo"), ("undp", "v", "undo"),
    ("please undo", "v", "undo"), ("ok undo", "vg", "undo"),
    # redo
    ("redo", "v", "redo"), ("redo that", "v", "redo"), ("Redo!", "v", "redo"),
    ("go forward", "v", "redo"), ("undo the undo", "v", "redo"), ("/redo", "v", "redo"),
    # retry
    ("again", "v", "retry"), ("try again", "v", "retry"), ("Try again please", "v", "retry"),
    ("retry", "v", "retry"), ("one more time", "v", "retry"), ("once more", "v", "retry"),
    ("do it again", "v", "retry"), ("another one", "v", "retry"),
    ("give me another version", "v", "retry"), ("regenerate", "v", "retry"),
    ("reroll", "v", "retry"), ("agian", "v", "retry"), ("try agian", "v", "retry"),
    ("/retry", "v", "retry"), ("same again", "v", "retry"), ("again!", "vg", "retry"),
    # cancel
    ("cancel", "v", "cancel"), ("stop", "v", "cancel"), ("STOP", "v", "cancel"),
    ("stop it", "v", "cancel"), ("cancel the job", "v", "cancel"), ("abort", "v", "cancel"),
    ("never mind", "v", "cancel"), ("nevermind", "v", "cancel"), ("forget it", "v", "cancel"),
    ("nvm", "v", "cancel"), ("cancle", "v", "cancel"), ("/cancel", "v", "cancel"),
    ("don't do it", "v", "cancel"), ("stop!", "vg", "cancel"),
    # history
    ("history", "v", "history"), ("show history", "v", "history"),
    ("show me the versions", "v", "history"), ("list versions", "v", "history"),
    ("versions", "v", "history"), ("version history", "v", "history"),
    ("what have I done so far?", "v", "history"), ("histroy", "v", "history"),
    ("/history", "v", "history"),
    # spend
    ("how much have I spent?", "v", "spend"), ("How much did I spend?", "v", "spend"),
    ("how much did we spend so far?", "vg", "spend"), ("what's my budget", "v", "spend"),
    ("my spending", "v", "spend"), ("total spend", "v", "spend"),
    ("how much money have I spent", "-", "spend"),
    ("how much is left in my budget?", "v", "spend"), ("spend", "v", "spend"),
    ("/spend", "v", "spend"), ("spent so far?", "v", "spend"),
    # help
    ("help", "v", "help"), ("what can you do?", "v", "help"), ("What can you do", "-", "help"),
    ("what does pro mean?", "v", "help"), ("what's the difference between std and pro?", "v", "help"),
    ("how does this work?", "v", "help"), ("how do I make it vertical?", "v", "help"),
    ("how long can videos be?", "v", "help"), ("what is multi-shot?", "v", "help"),
    ("can you add music?", "p1", "help"), ("tell me what you can do", "v", "help"),
    ("I need help", "v", "help"), ("/start", "-", "help"), ("/help", "-", "help"),
    ("/help@kling_test_bot", "g", "help"), ("?", "v", "help"), ("commands", "v", "help"),
    ("what are the commands?", "v", "help"), ("do you support vertical videos?", "v", "help"),
    ("how much does it cost?", "v", "help"), ("how many photos can I send?", "p1", "help"),
    ("@kling_test_bot what can you do?", "vg", "help"),
]  # fmt: skip

NOT_FOR_THE_BOT = [
    "thanks!", "thank you so much", "nice video", "this is amazing", "lol", "😂", "🔥🔥🔥", "ok",
    "hello", "hi there", "I removed the car myself", "I think it looks great",
    "looks great, thanks", "good job bot", "what is this?", "did you remove the car?", "why?",
    "don't remove the car", "it's too dark", "https://example.com/clip.mp4", "yes", "no", "go",
    "/settings", "", "   ", "I'll add the photos later", "you removed the wrong car",
    "we went to the beach yesterday", "makes sense", "that makes sense", "got it", "12345",
    "wow, that was fast", "haha nice one", "i see", "removed the car, thanks",
]  # fmt: skip

GROUP_CHATTER = [
    "a night sky", "rainy", "I want it to be rainy", "lol", "let's go to the beach tomorrow",
    "make sure you bring snacks", "guys, look at this", "the car is red", "watercolor style",
    "i'd like a coffee", "she waves at the camera", "what about pizza tonight?",
]  # fmt: skip

JOBS: list[tuple[str, str, str, dict[str, Any]]] = [
    # --- edit: remove, replace, add; background, style, weather, light, time of day ---
    ("remove the pedestrians", "v", "edit", {"prompt": "remove the pedestrians", "action": "edit"}),
    ("replace the sky with a night sky", "v", "edit", {"prompt": "replace the sky with a night sky"}),
    ("make it look like a watercolor", "v", "edit", {"prompt": "make it look like a watercolor"}),
    ("make it rainy", "v", "edit", {"prompt": "make it rainy", "mode": "pro"}),
    ("add a red balloon in the sky", "v", "edit", {"prompt": "add a red balloon in the sky"}),
    ("change the background to a beach", "v", "edit", {"prompt": "change the background to a beach"}),
    ("turn day into night", "v", "edit", {"prompt": "turn day into night"}),
    ("make it sunset", "v", "edit", {"prompt": "make it sunset"}),
    ("give it a cyberpunk look", "v", "edit", {"prompt": "give it a cyberpunk look"}),
    ("convert it to anime style", "v", "edit", {"prompt": "convert it to anime style"}),
    ("transform the scene into a snowy forest", "v", "edit", {"action": "edit"}),
    ("erase the logo in the corner", "v", "edit", {"prompt": "erase the logo in the corner"}),
    ("delete the bird", "v", "edit", {"prompt": "delete the bird"}),
    ("swap the car for a horse", "v", "edit", {"prompt": "swap the car for a horse"}),
    ("get rid of the watermark", "v", "edit", {"prompt": "get rid of the watermark"}),
    ("take out the trash can", "v", "edit", {"prompt": "take out the trash can"}),
    ("brighten it up", "v", "edit", {"prompt": "brighten it up"}),
    ("darken the shadows", "v", "edit", {"prompt": "darken the shadows"}),
    ("relight the scene with warm golden light", "v", "edit", {"action": "edit"}),
    ("put a hat on the dog", "v", "edit", {"prompt": "put a hat on the dog"}),
    ("paint the walls blue", "v", "edit", {"prompt": "paint the walls blue"}),
    ("stop the car in front of the house", "v", "edit", {"prompt": "stop the car in front of the house"}),
    ("make the car stop", "v", "edit", {"prompt": "make the car stop"}),
    ("redo the sky in purple", "v", "edit", {"prompt": "redo the sky in purple"}),
    ("the car should be red", "v", "edit", {"prompt": "the car should be red"}),
    ("it should be brighter", "v", "edit", {"prompt": "it should be brighter"}),
    ("I want it to be rainy", "v", "edit", {"prompt": "I want it to be rainy"}),
    ("i'd like the sky to be purple", "v", "edit", {"prompt": "i'd like the sky to be purple"}),
    ("how about a sunset?", "v", "edit", {"prompt": "how about a sunset?"}),
    # private chat: a description with a video is an instruction
    ("a night sky", "v", "ask", {"prompt": "a night sky"}),
    ("watercolor style", "v", "ask", {"prompt": "watercolor style"}),
    ("rainy", "v", "ask", {"prompt": "rainy"}),
    ("the sky turns purple", "v", "ask", {"prompt": "the sky turns purple"}),
    ("purple sky please", "v", "ask", {"prompt": "purple sky"}),
    ("Пусть идёт снег", "v", "edit", {"prompt": "Пусть идёт снег"}),
    ("make it snowy ❄️", "v", "edit", {"prompt": "make it snowy ❄️"}),
    ('remove the "Café" sign', "v", "edit", {"prompt": 'remove the "Café" sign'}),
    ("İstanbul at night", "v", "ask", {"prompt": "İstanbul at night"}),
    # casing and typos: the prompt keeps the user's own words
    ("REMOVE THE CAR", "v", "edit", {"prompt": "REMOVE THE CAR"}),
    ("Remove The Car", "v", "edit", {"prompt": "Remove The Car"}),
    ("Remvoe the car", "v", "edit", {"prompt": "Remvoe the car"}),
    ("mkae it rainy", "v", "edit", {"prompt": "mkae it rainy"}),
    ("replcae the sky with stars", "v", "edit", {"prompt": "replcae the sky with stars"}),
    ("chnage the background to a desert", "v", "edit", {"action": "edit"}),
    ("MAKE IT RAINY, VERTICAL, PRO", "v", "edit", {"prompt": "MAKE IT RAINY", "mode": "pro"}),
    # polite wrappers, addressing, small talk
    ("can you remove the car?", "v", "edit", {"prompt": "remove the car"}),
    ("please remove the car, thanks", "v", "edit", {"prompt": "remove the car"}),
    ("could you make it rainy please?", "v", "edit", {"prompt": "make it rainy"}),
    ("help me remove the car", "v", "edit", {"prompt": "remove the car"}),
    ("nice! now make it rainy", "v", "edit", {"prompt": "make it rainy"}),
    ("thanks, now remove the dog", "v", "edit", {"prompt": "remove the dog"}),
    ("@kling_test_bot remove the car", "vg", "edit", {"prompt": "remove the car"}),
    ("bot, make it snowy", "vg", "edit", {"prompt": "make it snowy"}),
    ("hey bot remove the car", "vg", "edit", {"prompt": "remove the car"}),
    ("remove the car @kling_test_bot", "vg", "edit", {"prompt": "remove the car"}),
    ("make it rainy", "vg", "edit", {"prompt": "make it rainy"}),
    ("lol, make it rainy", "vg", "edit", {"prompt": "make it rainy"}),
    ("/edit make it rainy", "v", "edit", {"prompt": "make it rainy"}),
    ("keep the car but remove the people", "v", "edit", {"prompt": "keep the car but remove the people"}),
    ("don't add music, remove the car", "v", "edit", {"prompt": "remove the car"}),
    # edit ignores length and ratio (Kling keeps the video's own), but drops the words
    ("make it rainy, 10 seconds, vertical", "v", "edit", {"prompt": "make it rainy", "duration": None, "aspect_ratio": None}),
    ("make it rainy, 9:16", "v", "edit", {"prompt": "make it rainy", "aspect_ratio": None}),
    ("make it rainy with sound", "v", "edit", {"prompt": "make it rainy", "sound": None}),
    ("10 seconds", "v", "edit", {"error": "empty_prompt"}),
    # Issue 10: with a clip, "make it vertical" is the free centre crop (an edit keeps the
    # clip's own aspect ratio, so it could only have been refused).
    ("make it vertical", "v", "local_edit", {"op": "crop", "aspect_ratio": "9:16"}),
    ("add music", "v", "edit", {"error": "empty_prompt"}),
    # mode in words
    ("make it rainy, quick draft", "v", "edit", {"mode": "std", "prompt": "make it rainy"}),
    ("quick draft: make it snowy", "v", "edit", {"mode": "std", "prompt": "make it snowy"}),
    ("make it rainy, standard", "v", "edit", {"mode": "std", "prompt": "make it rainy"}),
    ("make it rainy, cheap", "v", "edit", {"mode": "std", "prompt": "make it rainy"}),
    ("make it rainy in std", "v", "edit", {"mode": "std", "prompt": "make it rainy"}),
    ("make it rainy (draft)", "v", "edit", {"mode": "std", "prompt": "make it rainy"}),
    ("remove the car in standard mode", "v", "edit", {"mode": "std", "prompt": "remove the car"}),
    ("make it rainy, pro", "v", "edit", {"mode": "pro", "prompt": "make it rainy"}),
    ("make it rainy in high quality", "v", "edit", {"mode": "pro", "prompt": "make it rainy"}),
    ("make it rainy, best", "v", "edit", {"mode": "pro", "prompt": "make it rainy"}),
    ("make it rainy, best quality", "v", "edit", {"mode": "pro", "prompt": "make it rainy"}),
    ("pro mode: replace the sky", "v", "edit", {"mode": "pro", "prompt": "replace the sky"}),
    ("make it rainy, hq", "v", "edit", {"mode": "pro", "prompt": "make it rainy"}),
    ("make it rainy, standrd", "v", "edit", {"mode": "std", "prompt": "make it rainy"}),
    # near-misses: parameter words that are content
    ("make him a pro skateboarder", "v", "edit", {"prompt": "make him a pro skateboarder", "mode": "pro"}),
    ("add a beautiful landscape in the background", "v", "edit", {"prompt": "add a beautiful landscape in the background"}),
    ("vertical stripes on the wall", "v", "ask", {"prompt": "vertical stripes on the wall"}),
    ("a high quality leather jacket on the man", "v", "ask", {"prompt": "a high quality leather jacket on the man"}),
    ("make it look like the 90s", "v", "edit", {"prompt": "make it look like the 90s"}),
    ("the 1980s style", "v", "ask", {"prompt": "the 1980s style"}),
    ("put a square table in the room", "v", "edit", {"prompt": "put a square table in the room"}),
    ("add the sound of rain", "v", "edit", {"prompt": "add the sound of rain"}),
    # --- refer: a new shot guided by the video ---
    ("next shot: the car drives into a tunnel", "v", "refer", {"prompt": "the car drives into a tunnel", "action": "refer", "duration": 5, "aspect_ratio": "16:9"}),
    ("a new shot with the same camera move, but in a forest", "v", "refer", {"prompt": "a new shot with the same camera move, but in a forest"}),
    ("continue this: the man starts running", "v", "refer", {"prompt": "the man starts running"}),
    ("continue the video with the car entering a tunnel", "v", "refer", {"action": "refer"}),
    ("Next shot - a dog runs after the car", "v", "refer", {"prompt": "a dog runs after the car"}),
    ("new shot: close-up of the driver", "v", "refer", {"prompt": "close-up of the driver"}),
    ("what happens next? the car explodes", "v", "refer", {"action": "refer"}),
    ("use this video as a motion reference: a dancer on a beach", "v", "refer", {"action": "refer"}),
    ("same camera move but underwater", "v", "refer", {"action": "refer"}),
    ("next shot: a tunnel, 8 seconds, square, standard", "v", "refer", {"prompt": "a tunnel", "duration": 8, "aspect_ratio": "1:1", "mode": "std"}),
    ("next shot, vertical, 10s: the car flies", "v", "refer", {"prompt": "the car flies", "duration": 10, "aspect_ratio": "9:16"}),
    ("next shot: a tunnel, for youtube", "v", "refer", {"aspect_ratio": "16:9", "prompt": "a tunnel"}),
    ("next shot: a tunnel, for reels", "v", "refer", {"aspect_ratio": "9:16", "prompt": "a tunnel"}),
    ("next shot: a tunnel, 3 seconds", "v", "refer", {"duration": 3, "error": None}),
    ("next shot: a tunnel, 20 seconds", "v", "refer", {"duration": 20, "error": "invalid_duration"}),
    ("next shot: a tunnel, 2 seconds", "v", "refer", {"error": "invalid_duration"}),
    ("next shot: the man from the first photo walks in", "vp2", "refer", {"prompt": "the man from [@image1] walks in", "images": ["<image1>"]}),
    ("next shot: a tunnel", "vg", "refer", {"prompt": "a tunnel"}),
    ("replace the background but keep the same camera movement", "v", "edit", {"action": "edit"}),
    ("next shot:", "v", "refer", {"error": "empty_prompt"}),
    # --- image to video ---
    ("animate this", "p1", "image_to_video", {"prompt": "animate this", "images": frames((1, FF)), "duration": 5, "sound": "off", "aspect_ratio": "16:9"}),
    ("make her wave", "p1", "image_to_video", {"prompt": "make her wave", "images": frames((1, FF))}),
    ("Animate This Photo", "p1", "image_to_video", {"prompt": "Animate This Photo"}),
    ("animte this photo", "p1", "image_to_video", {"prompt": "animte this photo"}),
    ("bring it to life", "p1", "image_to_video", {"images": frames((1, FF))}),
    ("she waves at the camera", "p1", "image_to_video", {"prompt": "she waves at the camera"}),
    ("the car drives away", "p1", "image_to_video", {"prompt": "the car drives away"}),
    ("the camera slowly zooms in", "p1", "image_to_video", {"prompt": "the camera slowly zooms in"}),
    ("make them hug", "p2", "image_to_video", {"images": frames((1, None), (2, None))}),
    ("the woman in the photo walks on mars", "p1", "image_to_video", {"images": frames((1, FF))}),
    ("use the photo as a reference: a cat in space", "p1", "image_to_video", {"images": frames((1, None))}),
    ("start from the first photo and end on the second", "p2", "image_to_video", {"images": frames((1, FF), (2, EF)), "prompt": "start from the first photo and end on the second"}),
    ("start from the second photo and end on the first", "p2", "image_to_video", {"images": frames((2, FF), (1, EF))}),
    ("use the first photo as the first frame and the second as the last frame", "p2", "image_to_video", {"images": frames((1, FF), (2, EF))}),
    ("first frame: photo 1, last frame: photo 2, she turns around", "p3", "image_to_video", {"images": frames((1, FF), (2, EF))}),
    ("from the first photo to the second", "p2", "image_to_video", {"images": frames((1, FF), (2, EF))}),
    ("morph the first photo into the second, 6 seconds", "p2", "image_to_video", {"images": frames((1, FF), (2, EF)), "duration": 6}),
    ("start with this photo", "p1", "image_to_video", {"images": frames((1, FF))}),
    ("end on the second photo", "p2", "image_to_video", {"error": "end_frame_without_first_frame"}),
    ("end on this photo", "p1", "image_to_video", {"error": "end_frame_without_first_frame"}),
    ("the man from the first photo wearing the jacket from the second, walking through the third", "p3", "image_to_video", {"prompt": "the man from [@image1] wearing the jacket from [@image2], walking through [@image3]", "images": frames((1, None), (2, None), (3, None))}),
    ("the man from the first photo wearing the jacket from the second, walking through the third", "p3g", "image_to_video", {"images": frames((1, None), (2, None), (3, None))}),
    ("the man from the third photo dances", "p3", "image_to_video", {"prompt": "the man from [@image1] dances", "images": frames((3, None))}),
    ("animate the second photo", "p3", "image_to_video", {"images": frames((2, FF)), "prompt": "animate the second photo"}),
    ("animate the last photo", "p4", "image_to_video", {"images": frames((4, FF))}),
    ("animate the first and second photos", "p9", "image_to_video", {"prompt": "animate [@image1] and [@image2]", "images": frames((1, None), (2, None))}),
    ("the first and third pictures dance together", "p3", "image_to_video", {"prompt": "[@image1] and [@image2] dance together", "images": frames((1, None), (3, None))}),
    ("photo 2 and photo 3 dance", "p3", "image_to_video", {"prompt": "[@image1] and [@image2] dance", "images": frames((2, None), (3, None))}),
    ("the man in image #2 dances with the woman in image #1", "p2", "image_to_video", {"prompt": "the man in [@image2] dances with the woman in [@image1]"}),
    ("The man from the FIRST PHOTO waves", "p2", "image_to_video", {"prompt": "The man from [@image1] waves"}),
    ("animate these photos", "p9", "image_to_video", {"error": "too_many_images"}),
    ("animate these photos", "p7", "image_to_video", {"error": None}),
    ("animate the third photo", "p2", "image_to_video", {"error": "no_media"}),
    ("animate this photo", "vp1", "image_to_video", {"images": frames((1, FF))}),
    ("/animate she smiles", "p1", "image_to_video", {"prompt": "she smiles"}),
    ("next shot: she walks away", "p1", "image_to_video", {"prompt": "she walks away"}),
    ("animate this", "-", "image_to_video", {"error": "no_media"}),
    ("make her wave", "p1g", "image_to_video", {"images": frames((1, FF))}),
    ("she waves at the camera", "p1g", "none", {}),
    # parameters in words (image to video takes them all)
    ("make her wave, 10 seconds, vertical, with sound", "p1", "image_to_video", {"prompt": "make her wave", "duration": 10, "aspect_ratio": "9:16", "sound": "on"}),
    ("make her wave, ten seconds", "p1", "image_to_video", {"duration": 10, "prompt": "make her wave"}),
    ("make her wave, 10s", "p1", "image_to_video", {"duration": 10, "prompt": "make her wave"}),
    ("make her wave, 10 sec", "p1", "image_to_video", {"duration": 10}),
    ("make her wave for 10 seconds", "p1", "image_to_video", {"duration": 10, "prompt": "make her wave"}),
    ("make a 10 second video of her waving", "p1", "image_to_video", {"duration": 10, "prompt": "make a video of her waving"}),
    ("make a 7-second clip of her waving", "p1", "image_to_video", {"duration": 7, "prompt": "make a clip of her waving"}),
    ("make it 12 seconds long, she dances", "p1", "image_to_video", {"duration": 12, "prompt": "she dances"}),
    ("fifteen seconds, she jumps", "p1", "image_to_video", {"duration": 15, "prompt": "she jumps"}),
    ("she jumps, 10 secnds", "p1", "image_to_video", {"duration": 10, "prompt": "she jumps"}),
    ("she jumps, 16 seconds", "p1", "image_to_video", {"error": "invalid_duration"}),
    ("she jumps, 2.5 seconds", "p1", "image_to_video", {"error": "invalid_duration"}),
    ("she jumps, 1 minute", "p1", "image_to_video", {"error": "invalid_duration", "duration": 60}),
    ("half a minute, she jumps", "p1", "image_to_video", {"duration": 30, "error": "invalid_duration"}),
    ("the car stops for 2 seconds, then drives on", "p1", "image_to_video", {"duration": 5, "prompt": "the car stops for 2 seconds, then drives on"}),
    ("make it look like the 80s, 10s", "p1", "image_to_video", {"duration": 10, "prompt": "make it look like the 80s"}),
    ("she dances, vertical", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "she dances"}),
    ("she dances, portrait", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "she dances"}),
    ("she dances in portrait mode", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "she dances"}),
    ("she dances, 9:16", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "she dances"}),
    ("she dances, 9x16", "p1", "image_to_video", {"aspect_ratio": "9:16"}),
    ("she dances, for stories", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "she dances"}),
    ("for reels: she jumps into the pool", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "she jumps into the pool"}),
    ("for instagram stories, she jumps", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "she jumps"}),
    ("she dances, for TikTok", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "she dances"}),
    ("she dances, square", "p1", "image_to_video", {"aspect_ratio": "1:1", "prompt": "she dances"}),
    ("she dances, 1:1", "p1", "image_to_video", {"aspect_ratio": "1:1"}),
    ("she dances, widescreen", "p1", "image_to_video", {"aspect_ratio": "16:9", "prompt": "she dances"}),
    ("she dances, landscape", "p1", "image_to_video", {"aspect_ratio": "16:9", "prompt": "she dances"}),
    ("make it rainy, for youtube", "p1", "image_to_video", {"aspect_ratio": "16:9", "prompt": "make it rainy"}),
    ("make it rainy, vertcal", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "make it rainy"}),
    ("make a vertical video of her waving", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "make a video of her waving"}),
    ("make it rainy and vertical", "p1", "image_to_video", {"aspect_ratio": "9:16", "prompt": "make it rainy"}),
    ("make it rainy 10 seconds vertical", "p1", "image_to_video", {"aspect_ratio": "9:16", "duration": 10, "prompt": "make it rainy"}),
    ("they dance in the town square", "p1", "image_to_video", {"aspect_ratio": "16:9", "prompt": "they dance in the town square"}),
    ("a portrait of a man, 10s, portrait", "p1", "image_to_video", {"aspect_ratio": "9:16", "duration": 10, "prompt": "a portrait of a man"}),
    ("make her wave vertical", "p1", "image_to_video", {"aspect_ratio": "16:9", "prompt": "make her wave vertical"}),
    ("she jumps, with audio", "p1", "image_to_video", {"sound": "on", "prompt": "she jumps"}),
    ("she jumps, add music", "p1", "image_to_video", {"sound": "on", "prompt": "she jumps"}),
    ("add some background music, she jumps", "p1", "image_to_video", {"sound": "on", "prompt": "she jumps"}),
    ("she jumps, sound on", "p1", "image_to_video", {"sound": "on", "prompt": "she jumps"}),
    ("she jumps, no sound", "p1", "image_to_video", {"sound": "off", "prompt": "she jumps"}),
    ("she jumps without sound", "p1", "image_to_video", {"sound": "off", "prompt": "she jumps"}),
    ("don't add music, she jumps", "p1", "image_to_video", {"sound": "off", "prompt": "she jumps"}),
    ("the sound of rain", "p1", "ask", {"sound": "off", "prompt": "the sound of rain"}),
    ("she dances, 9:16, pro, with audio", "p1", "image_to_video", {"prompt": "she dances", "mode": "pro", "sound": "on", "aspect_ratio": "9:16"}),
    ("cheap version: she jumps", "p1", "image_to_video", {"mode": "std", "prompt": "she jumps"}),
    ("she jumps, cheaper", "p1", "image_to_video", {"mode": "std", "prompt": "she jumps"}),
    ("she jumps in the best quality", "p1", "image_to_video", {"mode": "pro", "prompt": "she jumps"}),
    ("animate this photo for tiktok in std", "p1", "image_to_video", {"mode": "std", "aspect_ratio": "9:16", "prompt": "animate this photo"}),
    ("make it rainy. ten seconds.", "p1", "image_to_video", {"duration": 10, "prompt": "make it rainy."}),
    ("make it rainy (10s, 9:16)", "p1", "image_to_video", {"duration": 10, "aspect_ratio": "9:16", "prompt": "make it rainy"}),
    ("Make It Rainy, 10 Seconds, Vertical", "p1", "image_to_video", {"prompt": "Make It Rainy", "duration": 10, "aspect_ratio": "9:16"}),
    ("ten seconds, vertical", "p1", "image_to_video", {"error": "empty_prompt"}),
    ("can you make it vertical?", "p1", "image_to_video", {"aspect_ratio": "9:16", "error": "empty_prompt"}),
    # multi-shot
    ("shot 1 (3s): a man walks in, shot 2 (2s): he sits down", "p1", "image_to_video", {"multi_shot": True, "shot_type": "customize", "duration": 5, "multi_prompt": [{"prompt": "a man walks in", "duration": 3}, {"prompt": "he sits down", "duration": 2}]}),
    ("Shot 1 (3s): a man walks in. Shot 2 (4s): he sits down, vertical", "p1", "image_to_video", {"duration": 7, "aspect_ratio": "9:16", "multi_prompt": [{"prompt": "a man walks in.", "duration": 3}, {"prompt": "he sits down", "duration": 4}]}),
    ("shot 1: a man walks in. shot 2: he sits down. 10 seconds total", "p1", "image_to_video", {"duration": 10, "multi_prompt": [{"prompt": "a man walks in.", "duration": 5}, {"prompt": "he sits down.", "duration": 5}]}),
    ("shot 1: intro; shot 2: middle; shot 3: end, 10 seconds", "p1", "image_to_video", {"duration": 10, "multi_prompt": [{"prompt": "intro", "duration": 4}, {"prompt": "middle", "duration": 3}, {"prompt": "end", "duration": 3}]}),
    ("first shot: he runs. second shot: he jumps", "p1", "image_to_video", {"shot_type": "customize", "duration": 5}),
    ("shot 1 (5s): a; shot 2 (5s): b, 8 seconds total", "p1", "image_to_video", {"error": "invalid_multi_prompt"}),
    ("shot 1 (2s): a; shot 2: b; shot 3: c", "p1", "image_to_video", {"error": "invalid_multi_prompt"}),
    ("shot 1: a. shot 2: b. shot 3: c. shot 4: d. shot 5: e. shot 6: f", "p1", "image_to_video", {"error": "invalid_multi_prompt"}),
    ("shot 1: a. shot 2: b. shot 3: c. shot 4: d. shot 5: e. shot 6: f. shot 7: g, 14 seconds", "p1", "image_to_video", {"error": "invalid_multi_prompt"}),
    ("shot 1 (3s): the man from the first photo walks in, shot 2 (2s): he waves", "p2", "image_to_video", {"multi_prompt": [{"prompt": "the man from [@image1] walks in", "duration": 3}, {"prompt": "he waves", "duration": 2}], "images": frames((1, None))}),
    ("make it multi-shot: a woman walks into a cafe and orders coffee", "p1", "image_to_video", {"multi_shot": True, "shot_type": "intelligence", "prompt": "a woman walks into a cafe and orders coffee", "images": frames((1, None))}),
    ("in multiple shots: she walks in and sits down", "p1", "image_to_video", {"shot_type": "intelligence", "prompt": "she walks in and sits down"}),
    ("a multi-shot video of her dancing", "p1", "image_to_video", {"shot_type": "intelligence", "prompt": "a video of her dancing"}),
    ("make it multi-shot", "p1", "image_to_video", {"error": "empty_prompt"}),
    ("several shots of the car", "p1", "ask", {"multi_shot": None, "prompt": "several shots of the car"}),
    ("start from the first photo and end on the second, multi-shot", "p2", "image_to_video", {"error": "invalid_multi_prompt"}),
    ("shot 1: a man walks in. shot 2: he sits down", "v", "image_to_video", {"error": "no_media"}),
    ("shot 1 (3s): a man walks in, shot 2 (2s): he sits down", "vp1", "image_to_video", {"error": None, "duration": 5}),
    # references with a video
    ("replace the man with the person from the first photo", "vp2", "edit", {"prompt": "replace the man with the person from [@image1]", "images": ["<image1>"]}),
    ("replace the man with the person from the photos", "vp2", "edit", {"images": ["<image1>", "<image2>"], "prompt": "replace the man with the person from the photos"}),
    ("put the hat from the second photo on the man", "vp2", "edit", {"images": ["<image2>"], "prompt": "put the hat from [@image1] on the man"}),
    ("replace the man with the person from the photos", "vp5", "edit", {"error": "too_many_images"}),
    ("replace the man with the person from the first photo", "vp5", "edit", {"error": None, "images": ["<image1>"]}),
    ("replace the man with the person from the third photo", "vp2", "edit", {"error": "no_media"}),
    ("use the photos as an element for the main character", "vp3", "edit", {"elements": [{"frontal_image_url": "<image1>", "reference_image_urls": ["<image2>", "<image3>"]}], "images": None}),
    # Photos held from before go with a video job only when the words name them (issue 9).
    ("animate this", "vp1", "edit", {"images": None}),
    # no media yet
    ("remove the car", "-", "edit", {"error": "no_media"}),
    ("next shot: a tunnel", "-", "refer", {"error": "no_media"}),
    ("make it rainy", "g", "edit", {"error": "no_media"}),
    ("a night sky", "-", "none", {}),
    # --- issue 9, item 4: Kling's options in more words (written before their rules) ---
    ("the scene that follows: the car drives into a tunnel", "v", "refer", {"action": "refer", "prompt": "the car drives into a tunnel"}),
    ("a shot that continues the action, she keeps running", "v", "refer", {"action": "refer"}),
    ("now the shot right after this one, the dog jumps into the lake", "v", "refer", {"action": "refer"}),
    ("pick up where the clip ends, she opens the door", "v", "refer", {"action": "refer"}),
    ("start on the first, end on the third, the dog from the second runs across", "p3", "image_to_video", {"images": frames((2, None), (1, FF), (3, EF)), "prompt": "start on the first, end on the third, the dog from [@image1] runs across"}),
    ("[@image1] walks into the room holding [@image2]", "p2", "image_to_video", {"prompt": "[@image1] walks into the room holding [@image2]", "images": frames((1, None), (2, None))}),
    ("replace his hat with the one in [@image1]", "vp1", "edit", {"prompt": "replace his hat with the one in [@image1]", "images": ["<image1>"]}),
    ("make it rainy, low quality is ok", "v", "edit", {"mode": "std", "prompt": "make it rainy"}),
    ("make it snowy, lowest quality is fine", "v", "edit", {"mode": "std", "prompt": "make it snowy"}),
    ("top quality, she waves", "p1", "image_to_video", {"mode": "pro", "prompt": "she waves"}),
    ("shot 1 3s a man walks in; shot 2 2s he sits down", "p1", "image_to_video", {"duration": 5, "multi_prompt": [{"prompt": "a man walks in", "duration": 3}, {"prompt": "he sits down", "duration": 2}]}),
    ("shot 1 3s a man walks in; shot 2 2s he sits down, 8 seconds total", "p1", "image_to_video", {"error": "invalid_multi_prompt"}),
    ("shot 1 - 4 seconds - she opens the door; shot 2 - 4 seconds - she walks out", "p1", "image_to_video", {"duration": 8}),
    ("scene 1 [3s] a man walks in scene 2 [2s] he sits down", "p1", "image_to_video", {"duration": 5, "multi_prompt": [{"prompt": "a man walks in", "duration": 3}, {"prompt": "he sits down", "duration": 2}]}),
    ("shot 1 = 3s a man walks in, shot 2 = 2s he sits down", "p1", "image_to_video", {"duration": 5}),
    ("multi-shot: a man walks in, he sits down", "p1", "image_to_video", {"multi_shot": True, "shot_type": "intelligence"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "code", "intent"), CONVERSATION, ids=[c[0] or "-" for c in CONVERSATION]
)
def test_conversation_words(text: str, code: str, intent: str) -> None:
    run(text, code, intent, {})


@pytest.mark.parametrize("text", NOT_FOR_THE_BOT)
@pytest.mark.parametrize("code", ["v", "p1"])
def test_not_for_the_bot(text: str, code: str) -> None:
    run(text, code, "none", {})


@pytest.mark.parametrize("text", GROUP_CHATTER)
def test_group_chatter_is_ignored(text: str) -> None:
    run(text, "vp1g", "none", {})


@pytest.mark.parametrize(
    ("text", "code", "intent", "expected"), JOBS, ids=[j[0][:60] for j in JOBS]
)
def test_jobs(text: str, code: str, intent: str, expected: dict[str, Any]) -> None:
    run(text, code, intent, expected)


def test_at_least_two_hundred_phrasings() -> None:
    assert len(CONVERSATION) + len(NOT_FOR_THE_BOT) + len(GROUP_CHATTER) + len(JOBS) >= 200


def test_parse_positions_point_at_the_original_text() -> None:
    text = "Hey bot, Remvoe the CAR, 10 seconds, vertical"
    request = parse(text, ChatContext(video_seconds=6.2))
    assert request.intent is Intent.EDIT
    assert text[request.body[0] : request.body[1]] == "Remvoe the CAR, 10 seconds, vertical"
    assert [text[e.start : e.end] for e in request.edits] == ["10 seconds, vertical"]
