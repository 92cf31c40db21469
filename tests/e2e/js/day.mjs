// A day of use, driven by Mattermost's own JavaScript client (@mattermost/client,
// unmodified): Client4 for REST, WebSocketClient for events, the way the web
// app uses them. Every step asserts on what it gets back and on the events it
// makes arrive at the right users (and not at the wrong ones).
//
//     node day.mjs http://127.0.0.1:8065
//
// Exits 0 when every step passed; otherwise prints the failing step, what was
// expected, and the events each user received, and exits 1.
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';

import WebSocket from 'ws';

const require = createRequire(import.meta.url);
const {Client4, WebSocketClient} = require('@mattermost/client');

// Node 20 has no global WebSocket. The client takes a factory in its config
// (newWebSocketFn), and also reads WebSocket.OPEN from the global scope, so
// the ws package's class goes in both places.
globalThis.WebSocket = WebSocket;

const BASE = process.argv[2];
if (!BASE) {
    console.error('usage: node day.mjs BASE_URL');
    process.exit(2);
}
const WS_URL = BASE.replace(/^http/, 'ws') + '/api/v4/websocket';
const PASSWORD = 'Password-1234!';
const WAIT_MS = 5000;
const RUN = Date.now().toString(36);

// The client logs connection chatter with console.log; keep it for the report
// on failure, out of the way otherwise.
const clientLog = [];
const realLog = console.log;
console.log = (...args) => clientLog.push(args.map(String).join(' '));

let currentStep = '(setup)';
async function step(name, fn) {
    currentStep = name;
    const started = Date.now();
    await fn();
    realLog(`ok   ${name} (${Date.now() - started} ms)`);
}

// ---------------------------------------------------------------------------
// Users: a Client4 and a WebSocketClient each, with every event recorded.

class User {
    constructor(name) {
        this.name = name;
        this.username = `${name}${RUN}`;
        this.email = `${this.username}@example.com`;
        this.client = new Client4();
        this.client.setUrl(BASE);
        this.events = [];
        this.waiters = [];
        this.ws = null;
    }

    // Two ways in, as Mattermost's own apps connect: the web app's browser
    // sends the MMAUTHTOKEN cookie with the upgrade request and passes no
    // token; the mobile app passes the token, which the client sends as an
    // authentication_challenge once the socket is open.
    async connect({cookie = false} = {}) {
        const token = this.client.getToken();
        // Short retry times so the reconnect steps take milliseconds, not the web app's seconds.
        this.ws = new WebSocketClient({
            newWebSocketFn: (url) => new WebSocket(url, cookie ? {headers: {Cookie: `MMAUTHTOKEN=${token}`}} : {}),
            minWebSocketRetryTime: 50,
            reconnectJitterRange: 10,
        });
        this.reconnects = 0;
        this.ws.addReconnectListener(() => {
            this.reconnects += 1;
        });
        // The web app resyncs on a missed-message signal; with such a listener
        // the client also keeps hello's connection_id for reconnecting.
        this.missed = 0;
        this.ws.addMissedMessageListener(() => {
            this.missed += 1;
        });
        this.ws.addMessageListener((msg) => {
            this.events.push(msg);
            for (const waiter of [...this.waiters]) {
                if (waiter.predicate(msg)) {
                    this.waiters.splice(this.waiters.indexOf(waiter), 1);
                    waiter.resolve(msg);
                }
            }
        });
        this.ws.initialize(WS_URL, cookie ? undefined : token);
        return this.waitFor('hello');
    }

    // Drop the socket as a network failure would; the client reconnects by itself.
    async dropSocket() {
        const closed = new Promise((resolve) => this.ws.conn.on('close', resolve));
        this.ws.conn.terminate();
        await closed;
    }

    // The first event (received already, or arriving within WAIT_MS) named
    // `event` for which `predicate` holds. `since` skips events before an index.
    waitFor(event, predicate = () => true, since = 0) {
        const test = (msg) => msg.event === event && predicate(msg);
        const found = this.events.slice(since).find(test);
        if (found) {
            return Promise.resolve(found);
        }
        return new Promise((resolve, reject) => {
            const waiter = {predicate: test, resolve};
            this.waiters.push(waiter);
            setTimeout(() => {
                const index = this.waiters.indexOf(waiter);
                if (index >= 0) {
                    this.waiters.splice(index, 1);
                    reject(new Error(`${this.name} did not receive a "${event}" event matching ${predicate} ` +
                        `within ${WAIT_MS} ms`));
                }
            }, WAIT_MS);
        });
    }

    received(event, predicate = () => true) {
        return this.events.filter((msg) => msg.event === event && predicate(msg));
    }

    mark() {
        return this.events.length;
    }

    // An action sent over the websocket, resolved with its reply.
    send(fn) {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${this.name}: no websocket reply`)), WAIT_MS);
            fn((reply) => {
                clearTimeout(timer);
                resolve(reply);
            });
        });
    }
}

const admin = new User('admin');
const bob = new User('bob');
const carol = new User('carol');
const everyone = [admin, bob, carol];

const postOf = (msg) => JSON.parse(msg.data.post);

async function main() {
    let team;
    let townSquare;
    let pub;
    let priv;
    let root;
    let reply;
    let withFile;
    let dm;
    let gm;
    let fileInfo;

    await step('the first user to sign up becomes the system admin', async () => {
        const created = await admin.client.createUser({username: admin.username, email: admin.email, password: PASSWORD});
        assert.equal(created.username, admin.username);
        assert.ok(created.roles.split(' ').includes('system_admin'), `roles: ${created.roles}`);
        assert.equal(created.password, undefined);
        admin.id = created.id;
    });

    await step('log in with Client4.login, which keeps the Token header', async () => {
        const profile = await admin.client.login(admin.username, PASSWORD);
        assert.equal(profile.id, admin.id);
        assert.ok(admin.client.getToken().length >= 26, 'no token kept from the Token header');
        assert.ok(admin.client.getServerVersion(), 'no X-Version-Id seen');
    });

    await step('get me', async () => {
        const me = await admin.client.getMe();
        assert.equal(me.id, admin.id);
        assert.equal(me.email, admin.email);
    });

    await step('the admin creates two more users; they log in', async () => {
        for (const user of [bob, carol]) {
            const created = await admin.client.createUser({username: user.username, email: user.email, password: PASSWORD});
            assert.equal(created.roles, 'system_user');
            user.id = created.id;
            const profile = await user.client.login(user.email, PASSWORD);
            assert.equal(profile.id, user.id);
        }
        // A wrong password is refused with Mattermost's error id.
        const stranger = new Client4();
        stranger.setUrl(BASE);
        await assert.rejects(stranger.login(bob.username, 'wrong-password'),
            (err) => err.status_code === 401 && err.server_error_id === 'api.user.login.invalid_credentials_email_username');
    });

    await step('each user opens a WebSocketClient and gets hello', async () => {
        for (const user of everyone) {
            const hello = await user.connect({cookie: user === bob});
            assert.equal(hello.seq, 0);
            assert.equal(hello.broadcast.user_id, user.id);
            assert.ok(hello.data.connection_id, 'hello without connection_id');
            assert.ok(hello.data.server_version, 'hello without server_version');
            assert.equal(user.ws.connectionId, hello.data.connection_id);
        }
        const reply = await bob.send((cb) => bob.ws.getStatuses(cb));
        assert.equal(reply.status, 'OK');
        assert.equal(reply.data[bob.id], 'online');
    });

    await step('create a team; add the others (added_to_team reaches each of them)', async () => {
        team = await admin.client.createTeam({name: `team-${RUN}`, display_name: 'Day Team', type: 'O'});
        assert.equal(team.name, `team-${RUN}`);
        for (const user of [bob, carol]) {
            const member = await admin.client.addToTeam(team.id, user.id);
            assert.equal(member.team_id, team.id);
            assert.equal(member.user_id, user.id);
            const event = await user.waitFor('added_to_team', (m) => m.data.team_id === team.id);
            assert.equal(event.data.user_id, user.id);
        }
        // The admin heard of joining the team it created, and of nobody else's joining.
        assert.deepEqual(admin.received('added_to_team').map((m) => m.data.user_id), [admin.id]);
        assert.equal(bob.received('added_to_team', (m) => m.data.user_id !== bob.id).length, 0);
        const members = await bob.client.getTeamMembers(team.id);
        assert.deepEqual(new Set(members.map((m) => m.user_id)), new Set(everyone.map((u) => u.id)));
        const channels = await bob.client.getMyChannels(team.id);
        townSquare = channels.find((c) => c.name === 'town-square');
        assert.ok(townSquare, `no town-square among ${channels.map((c) => c.name)}`);
    });

    await step('create a public and a private channel; add members (user_added)', async () => {
        pub = await admin.client.createChannel({team_id: team.id, name: `pub-${RUN}`, display_name: 'Public', type: 'O'});
        assert.equal(pub.type, 'O');
        priv = await admin.client.createChannel({team_id: team.id, name: `priv-${RUN}`, display_name: 'Private', type: 'P'});
        assert.equal(priv.type, 'P');
        for (const channel of [pub, priv]) {
            const member = await admin.client.addToChannel(bob.id, channel.id);
            assert.equal(member.channel_id, channel.id);
            assert.equal(member.user_id, bob.id);
            const event = await bob.waitFor('user_added', (m) => m.broadcast.channel_id === channel.id);
            assert.equal(event.data.user_id, bob.id);
            assert.equal(event.data.team_id, team.id);
            await admin.waitFor('user_added', (m) => m.broadcast.channel_id === channel.id && m.data.user_id === bob.id);
        }
        await carol.client.addToChannel(carol.id, pub.id); // carol joins the public one herself
        await carol.waitFor('user_added', (m) => m.broadcast.channel_id === pub.id && m.data.user_id === carol.id);
        assert.equal(carol.received('user_added', (m) => m.broadcast.channel_id === priv.id).length, 0,
            'carol heard of a private channel she is not in');
        const members = await admin.client.getChannelMembers(priv.id);
        assert.deepEqual(new Set(members.map((m) => m.user_id)), new Set([admin.id, bob.id]));
    });

    await step('what the web app loads at start-up and on switching to a channel', async () => {
        const config = await bob.client.getClientConfig();
        assert.equal(typeof config.Version, 'string');
        assert.equal(typeof config.SiteName, 'string');
        const license = await bob.client.getClientLicenseOld();
        assert.equal(license.IsLicensed, 'false');
        const teams = await bob.client.getMyTeams();
        assert.deepEqual(teams.map((t) => t.id), [team.id]);
        const teamMembers = await bob.client.getMyTeamMembers();
        assert.deepEqual(teamMembers.map((m) => m.team_id), [team.id]);
        const roles = await bob.client.getRolesByNames(['system_user', 'team_user', 'channel_user']);
        assert.deepEqual(new Set(roles.map((r) => r.name)), new Set(['system_user', 'team_user', 'channel_user']));
        assert.ok(roles.find((r) => r.name === 'channel_user').permissions.includes('create_post'));
        const channels = await bob.client.getMyChannels(team.id, true);
        const members = await bob.client.getMyChannelMembers(team.id);
        assert.deepEqual(new Set(members.map((m) => m.channel_id)), new Set(channels.map((c) => c.id)));
        assert.ok(channels.some((c) => c.id === priv.id) && channels.some((c) => c.id === pub.id));
        const categories = await bob.client.getChannelCategories(bob.id, team.id);
        assert.deepEqual(categories.categories.map((c) => c.type), ['favorites', 'channels', 'direct_messages']);
        const inChannels = categories.categories.find((c) => c.type === 'channels').channel_ids;
        assert.ok(inChannels.includes(pub.id) && inChannels.includes(priv.id), JSON.stringify(categories));
        const profiles = await bob.client.getProfilesByIds([admin.id, carol.id]);
        assert.deepEqual(new Set(profiles.map((p) => p.username)), new Set([admin.username, carol.username]));
        const inChannel = await bob.client.getProfilesInChannel(priv.id);
        assert.deepEqual(new Set(inChannel.map((p) => p.id)), new Set([admin.id, bob.id]));
        const stats = await bob.client.getChannelStats(priv.id);
        assert.equal(stats.member_count, 2);
        const teamStats = await bob.client.getTeamStats(team.id);
        assert.equal(teamStats.total_member_count, 3);
        const auto = await bob.client.autocompleteUsers(carol.username.slice(0, 5), team.id, '');
        assert.ok(auto.users.some((u) => u.id === carol.id), JSON.stringify(auto));
        const unread = await bob.client.getPostsUnread(pub.id, bob.id);
        assert.ok(Array.isArray(unread.order));
        assert.equal(typeof unread.next_post_id, 'string');
        assert.equal(typeof unread.prev_post_id, 'string');
    });

    await step('view channels (viewMyChannel; multiple_channels_viewed)', async () => {
        const result = await bob.client.viewMyChannel(pub.id);
        assert.equal(result.status, 'OK');
        assert.equal(typeof result.last_viewed_at_times, 'object');
        const member = await bob.client.getMyChannelMember(pub.id);
        assert.equal(member.msg_count, (await bob.client.getChannel(pub.id)).total_msg_count);
    });

    await step('post with a mention; posted reaches members with Mattermost\'s data', async () => {
        const since = {bob: bob.mark(), carol: carol.mark()};
        root = await admin.client.createPost({channel_id: pub.id, message: `good morning @${bob.username} sunflower`});
        assert.equal(root.channel_id, pub.id);
        assert.equal(root.user_id, admin.id);
        assert.equal(root.root_id, '');
        const atBob = await bob.waitFor('posted', (m) => postOf(m).id === root.id, since.bob);
        assert.equal(typeof atBob.data.post, 'string', 'data.post must be a JSON string');
        assert.equal(atBob.data.channel_type, 'O');
        assert.equal(atBob.data.channel_display_name, 'Public');
        assert.equal(atBob.data.sender_name, `@${admin.username}`);
        assert.equal(atBob.data.team_id, team.id);
        assert.equal(typeof atBob.data.mentions, 'string', 'data.mentions must be a JSON string');
        assert.deepEqual(JSON.parse(atBob.data.mentions), [bob.id]);
        assert.equal(postOf(atBob).message, root.message);
        const atCarol = await carol.waitFor('posted', (m) => postOf(m).id === root.id, since.carol);
        assert.equal(atCarol.data.mentions, undefined, 'carol was not mentioned');
    });

    await step('unread counts before and after viewing', async () => {
        const member = await bob.client.getMyChannelMember(pub.id);
        const channel = await bob.client.getChannel(pub.id);
        assert.equal(member.mention_count, 1);
        assert.ok(channel.total_msg_count > member.msg_count, 'the post is not unread for bob');
        const unreads = await bob.client.getMyTeamUnreads();
        const mine = unreads.find((u) => u.team_id === team.id);
        assert.ok(mine, 'no unread entry for the team');
        assert.ok(mine.msg_count >= 1 && mine.mention_count >= 1, JSON.stringify(mine));

        const since = bob.mark();
        const adminViews = () => admin.received('multiple_channels_viewed', (m) => pub.id in (m.data.channel_times || {})).length;
        const adminBefore = adminViews(); // the admin's own post marked the channel read for the admin
        await bob.client.viewMyChannel(pub.id);
        const viewed = await bob.waitFor('multiple_channels_viewed', (m) => pub.id in (m.data.channel_times || {}), since);
        assert.ok(viewed.data.channel_times[pub.id] > 0);
        const after = await bob.client.getMyChannelMember(pub.id);
        assert.equal(after.mention_count, 0);
        assert.equal(after.msg_count, channel.total_msg_count);
        assert.equal(adminViews(), adminBefore, 'bob\'s view went to the admin');
    });

    await step('reply in a thread (root_id)', async () => {
        const since = admin.mark();
        reply = await bob.client.createPost({channel_id: pub.id, message: 'morning! reply here', root_id: root.id});
        assert.equal(reply.root_id, root.id);
        const atAdmin = await admin.waitFor('posted', (m) => postOf(m).id === reply.id, since);
        assert.equal(postOf(atAdmin).root_id, root.id);
        const thread = await admin.client.getPostThread(root.id);
        assert.ok(thread.order.includes(reply.id) && thread.order.includes(root.id), JSON.stringify(thread.order));
        assert.equal(thread.posts[root.id].reply_count, 1);
    });

    await step('reactions (reaction_added, reaction_removed)', async () => {
        const since = admin.mark();
        const reaction = await bob.client.addReaction(bob.id, root.id, 'sunflower');
        assert.equal(reaction.emoji_name, 'sunflower');
        assert.equal(reaction.user_id, bob.id);
        const added = await admin.waitFor('reaction_added', () => true, since);
        assert.equal(typeof added.data.reaction, 'string', 'data.reaction must be a JSON string');
        const body = JSON.parse(added.data.reaction);
        assert.equal(body.post_id, root.id);
        assert.equal(body.emoji_name, 'sunflower');
        assert.equal(added.broadcast.channel_id, pub.id);
        await bob.client.addReaction(bob.id, root.id, '+1');
        const reactions = await admin.client.getReactionsForPost(root.id);
        assert.deepEqual(reactions.map((r) => r.emoji_name).sort(), ['+1', 'sunflower']);
        await bob.client.removeReaction(bob.id, root.id, '+1');
        const removed = await admin.waitFor('reaction_removed', () => true, since);
        assert.equal(JSON.parse(removed.data.reaction).emoji_name, '+1');
    });

    await step('typing: userTyping from bob is seen by the admin, not by bob', async () => {
        const since = {admin: admin.mark(), bob: bob.mark()};
        bob.ws.userTyping(pub.id, root.id);
        const typing = await admin.waitFor('typing', (m) => m.data.user_id === bob.id, since.admin);
        assert.equal(typing.broadcast.channel_id, pub.id);
        assert.equal(typing.data.parent_id, root.id);
        const reply = await admin.send((cb) => admin.ws.userTyping(pub.id, '', cb));
        assert.equal(reply.status, 'OK');
        await bob.waitFor('typing', (m) => m.data.user_id === admin.id, since.bob);
        assert.equal(bob.received('typing', (m) => m.data.user_id === bob.id).length, 0, 'bob heard himself typing');
    });

    await step('upload a file (FormData with a Blob) and attach it to a post', async () => {
        const content = `notes of the day ${RUN}\n`;
        const form = new FormData();
        form.append('channel_id', pub.id);
        form.append('client_ids', 'client-file-1');
        form.append('files', new Blob([content], {type: 'text/plain'}), 'notes.txt');
        const uploaded = await bob.client.uploadFile(form);
        assert.equal(uploaded.file_infos.length, 1);
        assert.deepEqual(uploaded.client_ids, ['client-file-1']);
        fileInfo = uploaded.file_infos[0];
        assert.equal(fileInfo.name, 'notes.txt');
        assert.equal(fileInfo.size, content.length);
        assert.equal(fileInfo.extension, 'txt');

        const since = admin.mark();
        withFile = await bob.client.createPost({channel_id: pub.id, message: 'the notes', file_ids: [fileInfo.id]});
        assert.deepEqual(withFile.file_ids, [fileInfo.id]);
        const posted = await admin.waitFor('posted', (m) => postOf(m).id === withFile.id, since);
        const body = postOf(posted);
        assert.deepEqual(body.file_ids, [fileInfo.id]);
        assert.equal(body.metadata.files[0].id, fileInfo.id);

        const infos = await admin.client.getFileInfosForPost(withFile.id);
        assert.equal(infos.length, 1);
        assert.equal(infos[0].id, fileInfo.id);
        assert.equal(infos[0].post_id, withFile.id);

        // The web app fetches getFileUrl with its session; here the token goes in the header.
        const response = await fetch(admin.client.getFileUrl(fileInfo.id), {
            headers: {Authorization: `Bearer ${admin.client.getToken()}`},
        });
        assert.equal(response.status, 200);
        assert.equal(await response.text(), content);
        const denied = await fetch(carol.client.getFileUrl(fileInfo.id));
        assert.equal(denied.status, 401);
    });

    await step('search posts', async () => {
        const found = await carol.client.searchPosts(team.id, 'sunflower', false);
        assert.deepEqual(found.order, [root.id]);
        assert.equal(found.posts[root.id].message, root.message);
        const none = await carol.client.searchPosts(team.id, `nothing${RUN}`, false);
        assert.deepEqual(none.order, []);
    });

    await step('preferences: save and get (preferences_changed to the owner only)', async () => {
        const since = bob.mark();
        const preference = {user_id: bob.id, category: 'display_settings', name: 'use_military_time', value: 'true'};
        const result = await bob.client.savePreferences(bob.id, [preference]);
        assert.equal(result.status, 'OK');
        const changed = await bob.waitFor('preferences_changed', () => true, since);
        assert.equal(typeof changed.data.preferences, 'string', 'data.preferences must be a JSON string');
        assert.deepEqual(JSON.parse(changed.data.preferences), [preference]);
        const mine = await bob.client.getMyPreferences();
        assert.ok(mine.some((p) => p.category === preference.category && p.name === preference.name && p.value === 'true'),
            JSON.stringify(mine));
        await assert.rejects(carol.client.savePreferences(bob.id, [preference]), (err) => err.status_code === 403);
        assert.equal(admin.received('preferences_changed').length, 0, 'bob\'s preferences went to the admin');
    });

    await step('statuses: get and update (status_change to the user)', async () => {
        const status = await admin.client.getStatus(bob.id);
        assert.equal(status.user_id, bob.id);
        assert.equal(status.status, 'online');
        const since = bob.mark();
        const updated = await bob.client.updateStatus({user_id: bob.id, status: 'dnd'});
        assert.equal(updated.status, 'dnd');
        const change = await bob.waitFor('status_change', (m) => m.data.status === 'dnd', since);
        assert.equal(change.data.user_id, bob.id);
        assert.equal((await admin.client.getStatus(bob.id)).status, 'dnd');
        const statuses = await admin.client.getStatusesByIds([bob.id, carol.id]);
        assert.deepEqual(Object.fromEntries(statuses.map((s) => [s.user_id, s.status])), {[bob.id]: 'dnd', [carol.id]: 'online'});
        await bob.client.updateStatus({user_id: bob.id, status: 'online'});
        await bob.waitFor('status_change', (m) => m.data.status === 'online', since);
    });

    await step('a direct message (createDirectChannel; direct_added, posted with channel_type D)', async () => {
        const since = bob.mark();
        dm = await admin.client.createDirectChannel([admin.id, bob.id]);
        assert.equal(dm.type, 'D');
        assert.equal(dm.name, [admin.id, bob.id].sort().join('__'));
        const added = await bob.waitFor('direct_added', (m) => m.broadcast.channel_id === dm.id, since);
        assert.equal(added.data.teammate_id, bob.id);
        const post = await admin.client.createPost({channel_id: dm.id, message: 'just between us'});
        const posted = await bob.waitFor('posted', (m) => postOf(m).id === post.id, since);
        assert.equal(posted.data.channel_type, 'D');
        assert.equal(posted.data.channel_name, dm.name);
        assert.deepEqual(JSON.parse(posted.data.mentions), [bob.id]);
        assert.equal(carol.received('direct_added', (m) => m.broadcast.channel_id === dm.id).length, 0);
        const member = await bob.client.getMyChannelMember(dm.id);
        assert.equal(member.mention_count, 1);
    });

    await step('a group message (createGroupChannel; group_added, posted with channel_type G)', async () => {
        const since = {bob: bob.mark(), carol: carol.mark()};
        gm = await admin.client.createGroupChannel([admin.id, bob.id, carol.id]);
        assert.equal(gm.type, 'G');
        for (const user of [bob, carol]) {
            await user.waitFor('group_added', (m) => m.broadcast.channel_id === gm.id, since[user.name]);
        }
        const post = await carol.client.createPost({channel_id: gm.id, message: 'lunch, all three of us?'});
        for (const user of [admin, bob]) {
            const posted = await user.waitFor('posted', (m) => postOf(m).id === post.id);
            assert.equal(posted.data.channel_type, 'G');
            assert.equal(posted.data.sender_name, `@${carol.username}`);
        }
    });

    await step('a private channel\'s posts reach its members only', async () => {
        const since = {bob: bob.mark(), carol: carol.mark()};
        const secret = await admin.client.createPost({channel_id: priv.id, message: 'the secret plan'});
        const atBob = await bob.waitFor('posted', (m) => postOf(m).id === secret.id, since.bob);
        assert.equal(atBob.data.channel_type, 'P');
        // Then a post carol does see: once it has arrived, the private one would have too.
        const open = await admin.client.createPost({channel_id: pub.id, message: 'nothing secret here'});
        await carol.waitFor('posted', (m) => postOf(m).id === open.id, since.carol);
        assert.equal(carol.received('posted', (m) => m.broadcast.channel_id === priv.id || postOf(m).id === secret.id).length, 0,
            'carol received a post of a private channel she is not a member of');
        await assert.rejects(carol.client.getPost(secret.id), (err) => err.status_code === 403);
        const found = await carol.client.searchPosts(team.id, 'secret', false);
        assert.ok(!found.order.includes(secret.id), 'search showed carol a private post');
    });

    await step('edit a post (patchPost; post_edited)', async () => {
        const since = bob.mark();
        const edited = await admin.client.patchPost({id: root.id, message: `good evening @${bob.username} sunflower`});
        assert.equal(edited.message, `good evening @${bob.username} sunflower`);
        assert.ok(edited.edit_at > 0);
        const event = await bob.waitFor('post_edited', (m) => postOf(m).id === root.id, since);
        assert.equal(typeof event.data.post, 'string');
        assert.equal(postOf(event).message, edited.message);
        const updated = await admin.client.updatePost({...edited, message: 'good night sunflower'});
        assert.equal(updated.message, 'good night sunflower');
        await bob.waitFor('post_edited', (m) => postOf(m).message === 'good night sunflower', since);
    });

    await step('threads (getUserThreads)', async () => {
        const threads = await admin.client.getUserThreads(admin.id, team.id, {});
        const thread = threads.threads.find((t) => t.id === root.id);
        assert.ok(thread, `root post not among the admin's threads: ${JSON.stringify(threads)}`);
        assert.equal(thread.reply_count, 1);
        assert.ok(threads.total >= 1);
        const bobs = await bob.client.getUserThreads('me', team.id, {extended: true});
        assert.ok(bobs.threads.some((t) => t.id === root.id), 'bob replied but does not follow the thread');
        const one = await bob.client.getUserThread(bob.id, team.id, root.id, true);
        assert.equal(one.id, root.id);
        assert.ok(one.participants.some((p) => p.id === bob.id), JSON.stringify(one.participants));
    });

    await step('pins, saved posts, edit history, posts by ids', async () => {
        const since = bob.mark();
        const pinned = await admin.client.pinPost(root.id);
        assert.equal(pinned.status, 'OK');
        const edited = await bob.waitFor('post_edited', (m) => postOf(m).id === root.id && postOf(m).is_pinned, since);
        assert.equal(postOf(edited).is_pinned, true);
        const pins = await bob.client.getPinnedPosts(pub.id);
        assert.deepEqual(pins.order, [root.id]);
        await admin.client.unpinPost(root.id);
        assert.deepEqual((await bob.client.getPinnedPosts(pub.id)).order, []);

        await bob.client.savePreferences(bob.id, [{user_id: bob.id, category: 'flagged_post', name: root.id, value: 'true'}]);
        const flagged = await bob.client.getFlaggedPosts(bob.id);
        assert.deepEqual(flagged.order, [root.id]);

        // Only the author sees a post's edit history, as in Mattermost.
        await assert.rejects(bob.client.getPostEditHistory(root.id), (err) => err.status_code === 403);
        const history = await admin.client.getPostEditHistory(root.id);
        assert.deepEqual(history.map((p) => p.message).sort(), [`good evening @${bob.username} sunflower`, `good morning @${bob.username} sunflower`]);
        assert.ok(history.every((p) => p.original_id === root.id && p.delete_at > 0), JSON.stringify(history));

        const byIds = await bob.client.getPostsByIds([root.id, reply.id]);
        assert.deepEqual(new Set(byIds.map((p) => p.id)), new Set([root.id, reply.id]));
        const since2 = bob.mark();
        const posts = await bob.client.getPostsSince(pub.id, root.create_at - 1);
        assert.ok(posts.order.includes(root.id) && posts.order.includes(reply.id), JSON.stringify(posts.order));
        assert.equal(bob.mark(), since2);
    });

    await step('thread read state (updateThreadReadForUser, markThreadAsUnreadForUser)', async () => {
        const since = admin.mark();
        const more = await bob.client.createPost({channel_id: pub.id, message: 'one more thing', root_id: root.id});
        const updated = await admin.waitFor('thread_updated', (m) => JSON.parse(m.data.thread).id === root.id, since);
        const thread = JSON.parse(updated.data.thread);
        assert.equal(thread.reply_count, 2);
        assert.ok(thread.unread_replies >= 1, JSON.stringify(thread));
        assert.equal(updated.broadcast.team_id, team.id);
        const read = await admin.client.updateThreadReadForUser(admin.id, team.id, root.id, Date.now());
        assert.equal(read.id, root.id);
        assert.equal(read.unread_replies, 0);
        await admin.waitFor('thread_read_changed', (m) => m.data.thread_id === root.id, since);
        const unread = await admin.client.markThreadAsUnreadForUser(admin.id, team.id, root.id, more.id);
        assert.equal(unread.unread_replies, 1);
        const totals = await admin.client.getUserThreads(admin.id, team.id, {totalsOnly: true});
        assert.equal(totals.total_unread_threads, 1);
        assert.deepEqual(totals.threads, []);
    });

    await step('delete a post (deletePost; post_deleted)', async () => {
        const since = admin.mark();
        const result = await bob.client.deletePost(withFile.id);
        assert.equal(result.status, 'OK');
        const event = await admin.waitFor('post_deleted', (m) => postOf(m).id === withFile.id, since);
        assert.equal(event.broadcast.channel_id, pub.id);
        await assert.rejects(carol.client.getPost(withFile.id), (err) => err.status_code === 404);
        const posts = await carol.client.getPosts(pub.id);
        assert.ok(!posts.order.includes(withFile.id), 'a deleted post is still listed');
        assert.ok(posts.order.includes(root.id));
    });

    await step('custom emoji (createCustomEmoji with a Blob; emoji_added)', async () => {
        // A 1x1 transparent PNG.
        const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
        const since = carol.mark();
        const emoji = await admin.client.createCustomEmoji({name: `party${RUN}`, creator_id: admin.id},
            new Blob([png], {type: 'image/png'}));
        assert.equal(emoji.name, `party${RUN}`);
        const added = await carol.waitFor('emoji_added', () => true, since);
        assert.equal(JSON.parse(added.data.emoji).id, emoji.id);
        const reaction = await carol.client.addReaction(carol.id, root.id, emoji.name);
        assert.equal(reaction.emoji_name, emoji.name);
    });

    await step('profile, pictures, people and channel search', async () => {
        const since = {admin: admin.mark(), bob: bob.mark()};
        const patched = await bob.client.patchMe({nickname: 'Bobby', position: 'gardener'});
        assert.equal(patched.nickname, 'Bobby');
        const atAdmin = await admin.waitFor('user_updated', (m) => m.data.user.id === bob.id, since.admin);
        assert.equal(atAdmin.data.user.nickname, 'Bobby');
        await bob.waitFor('user_updated', (m) => m.data.user.id === bob.id, since.bob);
        const picture = await fetch(BASE + bob.client.getProfilePictureUrl(carol.id, 0).slice(BASE.length), {
            headers: {Authorization: `Bearer ${bob.client.getToken()}`},
        });
        assert.equal(picture.status, 200);
        assert.match(picture.headers.get('content-type'), /^image\//);
        const found = await bob.client.searchUsers(carol.username, {team_id: team.id});
        assert.deepEqual(found.map((u) => u.id), [carol.id]);
        const byName = await bob.client.getTeamByName(team.name);
        assert.equal(byName.id, team.id);
        const channel = await bob.client.getChannelByNameAndTeamName(team.name, pub.name);
        assert.equal(channel.id, pub.id);
        const auto = await carol.client.autocompleteChannels(team.id, 'pub');
        assert.deepEqual(auto.map((c) => c.id), [pub.id]);
        const searched = await carol.client.searchChannels(team.id, 'Public');
        assert.deepEqual(searched.map((c) => c.id), [pub.id]);
        const timezones = await bob.client.getChannelTimezones(pub.id);
        assert.ok(Array.isArray(timezones));
    });

    await step('an image: thumbnail and preview; file search', async () => {
        // A 2x2 PNG.
        const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
        const form = new FormData();
        form.append('channel_id', pub.id);
        form.append('files', new Blob([png], {type: 'image/png'}), 'garden.png');
        const uploaded = await admin.client.uploadFile(form);
        const info = uploaded.file_infos[0];
        assert.equal(info.mime_type, 'image/png');
        assert.equal(info.width, 2);
        assert.equal(info.height, 2);
        assert.equal(info.has_preview_image, true);
        await admin.client.createPost({channel_id: pub.id, message: 'the garden', file_ids: [info.id]});
        for (const url of [bob.client.getFileThumbnailUrl(info.id), bob.client.getFilePreviewUrl(info.id)]) {
            const response = await fetch(url, {headers: {Authorization: `Bearer ${bob.client.getToken()}`}});
            assert.equal(response.status, 200, url);
            assert.match(response.headers.get('content-type'), /^image\//);
        }
        const files = await bob.client.searchFiles(team.id, 'garden', false);
        assert.deepEqual(files.order, [info.id]);
        assert.equal(files.file_infos[info.id].name, 'garden.png');
    });

    await step('notify props, mark as unread, leave a channel (user_removed)', async () => {
        const member = await bob.client.getMyChannelMember(pub.id);
        const result = await bob.client.updateChannelNotifyProps({channel_id: pub.id, user_id: bob.id, desktop: 'mention', mark_unread: 'all'});
        assert.equal(result.status, 'OK');
        assert.equal((await bob.client.getMyChannelMember(pub.id)).notify_props.desktop, 'mention');
        assert.equal(member.channel_id, pub.id);

        const since = bob.mark();
        const note = await admin.client.createPost({channel_id: pub.id, message: 'read me later'});
        await bob.waitFor('posted', (m) => postOf(m).id === note.id, since);
        await bob.client.viewMyChannel(pub.id);
        const unread = await bob.client.markPostAsUnread(bob.id, note.id);
        assert.equal(unread.channel_id, pub.id);
        assert.equal(unread.last_viewed_at, note.create_at - 1);
        const event = await bob.waitFor('post_unread', (m) => m.broadcast.channel_id === pub.id, since);
        assert.equal(event.data.last_viewed_at, note.create_at - 1);
        assert.ok(event.data.msg_count < (await bob.client.getChannel(pub.id)).total_msg_count);

        const sinceAdmin = admin.mark();
        const left = await carol.client.removeFromChannel(carol.id, pub.id);
        assert.equal(left.status, 'OK');
        const removed = await admin.waitFor('user_removed', (m) => m.data.user_id === carol.id, sinceAdmin);
        assert.equal(removed.broadcast.channel_id, pub.id);
        await carol.waitFor('user_removed', (m) => m.data.channel_id === pub.id);
        // Not a member: no member to read (403, as Mattermost's read_channel_content check answers).
        await assert.rejects(carol.client.getMyChannelMember(pub.id), (err) => err.status_code === 403);
        assert.ok((await carol.client.getPosts(pub.id)).order.includes(note.id), 'a public channel stays readable');
    });

    await step('websocket actions the web app sends (presence, activity, statuses by ids)', async () => {
        let reply = await bob.send((cb) => bob.ws.updateActiveChannel(pub.id, cb));
        assert.equal(reply.status, 'OK');
        reply = await bob.send((cb) => bob.ws.updateActiveTeam(team.id, cb));
        assert.equal(reply.status, 'OK');
        reply = await bob.send((cb) => bob.ws.userUpdateActiveStatus(true, false, cb));
        assert.equal(reply.status, 'OK');
        reply = await bob.send((cb) => bob.ws.getStatusesByIds([admin.id, carol.id], cb));
        assert.equal(reply.status, 'OK');
        assert.deepEqual(reply.data, {[admin.id]: 'online', [carol.id]: 'online'});
    });

    await step('a dropped websocket resumes with the events it missed (connection_id, sequence_number)', async () => {
        // bob's socket was authenticated by its upgrade request, as the web app's is.
        const connectionId = bob.ws.connectionId;
        await bob.dropSocket();
        const missed = await admin.client.createPost({channel_id: pub.id, message: 'said while bob was away'});
        const posted = await bob.waitFor('posted', (m) => postOf(m).id === missed.id);
        assert.equal(bob.reconnects, 1, 'the client did not reconnect');
        assert.equal(bob.ws.connectionId, connectionId, 'the server started a new connection instead of resuming');
        assert.equal(bob.missed, 0, 'the server made the client resync instead of resuming');
        assert.equal(posted.seq, bob.events.indexOf(posted), 'resumed numbering has a gap or a repeat');
        assert.equal(bob.received('hello').length, 1, 'a second hello on resuming');
    });

    await step('a dropped websocket authenticated by challenge starts afresh (hello; the client resyncs)', async () => {
        // As in Mattermost, a connection authenticated by authentication_challenge
        // is registered as a new one: a new hello, and the client's missed-message signal.
        const connectionId = carol.ws.connectionId;
        const since = carol.mark();
        await carol.dropSocket();
        const hello = await carol.waitFor('hello', () => true, since);
        assert.equal(hello.seq, 0);
        assert.notEqual(hello.data.connection_id, connectionId);
        assert.equal(carol.ws.connectionId, hello.data.connection_id);
        assert.equal(carol.missed, 1, 'the client was not told to resync');
        const post = await admin.client.createPost({channel_id: gm.id, message: 'welcome back, carol'});
        const posted = await carol.waitFor('posted', (m) => postOf(m).id === post.id, since);
        assert.ok(posted.seq > 0);
        carol.missed = 0;
    });

    await step('every connection saw gapless sequence numbers', async () => {
        for (const user of everyone) {
            let expected = 0; // counted from each hello
            for (const msg of user.events) {
                expected = msg.event === 'hello' ? 0 : expected;
                assert.equal(msg.seq, expected, `${user.name}: seq ${msg.seq} where ${expected} was due`);
                expected += 1;
            }
            assert.equal(user.missed, 0, `${user.name}'s websocket was told to resync`);
        }
    });

    await step('log out', async () => {
        for (const user of everyone) {
            user.ws.close();
        }
        await bob.client.logout();
        await assert.rejects(bob.client.getMe(), (err) => err.status_code === 401);
    });
}

try {
    await main();
    realLog('a day of use: every step passed');
    process.exit(0);
} catch (err) {
    realLog(`FAIL ${currentStep}`);
    realLog(err && err.stack ? err.stack : String(err));
    if (err && err.server_error_id) {
        realLog(`server error: ${err.status_code} ${err.server_error_id} ${err.message} (${err.url})`);
    }
    for (const user of everyone) {
        realLog(`--- events received by ${user.name} (${user.id}):`);
        if (user.events.length > 40) {
            realLog(`  (${user.events.length - 40} earlier events left out)`);
        }
        for (const msg of user.events.slice(-40)) {
            realLog('  ' + JSON.stringify(msg).slice(0, 400));
        }
    }
    realLog('--- client log:');
    clientLog.forEach((line) => realLog('  ' + line));
    process.exit(1);
}
