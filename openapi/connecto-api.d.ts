export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["HealthController_alive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: PostgreSQL and Redis both answer within a second, and the node is not shutting down */
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account; answers with a token pair and the user */
        post: operations["AuthController_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with email and password; answers with a token pair and the user */
        post: operations["AuthController_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Trade a refresh token for a new pair (rotating: a used token is refused and revokes its family) */
        post: operations["AuthController_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a refresh token and its family */
        post: operations["AuthController_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller: id, email and profile */
        get: operations["UserController_me"];
        put?: never;
        post?: never;
        /**
         * Delete my account
         * @description Soft delete: messages stay with their sender. Every token of the account stops working at once on every node, and its sockets are closed after `auth:revoked`.
         */
        delete: operations["UserController_deleteAccount"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me/profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Edit the caller's profile (nickname, bio, avatar); null clears bio and avatar */
        patch: operations["UserController_updateProfile"];
        trace?: never;
    };
    "/api/v1/travels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Travels I am an ACTIVE member of, newest first (keyset: pass nextCursor as cursor) */
        get: operations["TravelController_listMine"];
        put?: never;
        /** Create a travel; the caller becomes its HOST (participantCount 1) */
        post: operations["TravelController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/travels/popular": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Top 10 PUBLIC travels by participantCount */
        get: operations["TravelController_popular"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/travels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A travel: to its members, or to anyone when PUBLIC */
        get: operations["TravelController_get"];
        put?: never;
        post?: never;
        /** Soft-delete a travel and its planets (hosts only) */
        delete: operations["TravelController_remove"];
        options?: never;
        head?: never;
        /** Edit a travel (hosts only); null clears description and dates */
        patch: operations["TravelController_update"];
        trace?: never;
    };
    "/api/v1/travels/{id}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join a PUBLIC travel; repeating it is harmless; a member who left is reactivated */
        post: operations["TravelController_join"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/travels/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A host adds a user as MEMBER (the way into PRIVATE travels) */
        post: operations["TravelController_addMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/travels/{id}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** A host makes a member HOST or MEMBER (hand the travel over before leaving) */
        patch: operations["TravelController_setMemberRole"];
        trace?: never;
    };
    "/api/v1/travels/{id}/leave": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Leave a travel; your planet memberships in it end too
         * @description Also 204 when you are not a member of a visible travel. The last HOST cannot leave while other members remain (409): make someone else host first, or delete the travel. When the last member leaves, the travel is deleted.
         */
        post: operations["TravelController_leave"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/travels/{travelId}/planets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The travel's planets (travel members), oldest first, with memberCount and isMember */
        get: operations["PlanetController_listForTravel"];
        put?: never;
        /** Create a planet (travel members); the creator is its ACTIVE ADMIN */
        post: operations["PlanetController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/planets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My ACTIVE planets, each with unreadCount and lastMessage, most recently active first */
        get: operations["PlanetController_listMine"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/planets/{id}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join a planet (travel members); repeating it is harmless */
        post: operations["PlanetController_join"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/planets/{id}/leave": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Leave a planet (travel members); 204 also when you were not in it */
        post: operations["PlanetController_leave"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/messages/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search messages in my ACTIVE planets (Korean-aware; relevance or recent) */
        get: operations["MessageController_search"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a message (sender or planet admin); a tombstone stays in lists, broadcasts message:deleted */
        delete: operations["MessageController_remove"];
        options?: never;
        head?: never;
        /** Edit the content of my message (sender only); sets editedAt and broadcasts message:updated */
        patch: operations["MessageController_edit"];
        trace?: never;
    };
    "/api/v1/planets/{planetId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of messages with readCount, unreadCount and replyCount (before: newest first; after: oldest first) */
        get: operations["PlanetMessageController_list"];
        put?: never;
        /** Send a message (content and/or mediaIds); broadcast as message:new to the planet */
        post: operations["PlanetMessageController_send"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/planets/{planetId}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every change to the planet's messages since a cursor: new messages, edits and deletes, in order
         * @description Resync after a reconnect, or catch up on a planet. Each item is a message in the one message shape (a deleted one as a tombstone) with its `changeSeq`; an edit or delete moves the message to a new, larger `changeSeq`, so every message appears once, in its latest state. Pages never skip or repeat a change, also while others write: call again with `nextCursor` while `hasMore`, then keep `nextCursor` for the next resync. Socket events `message:new`, `message:updated` and `message:deleted` carry the same `changeSeq`. Only ACTIVE members of the planet.
         */
        get: operations["PlanetMessageController_changes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/planets/{planetId}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark the planet read up to messageId (the read watermark only moves forward) */
        post: operations["PlanetMessageController_read"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/media/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start an upload: checks kind, MIME type, file name and size, answers a signed URL to PUT the bytes to */
        post: operations["MediaController_createUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/media/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish an upload (uploader only, once): checks the stored bytes and queues processing; media:ready follows */
        post: operations["MediaController_complete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/media/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A media item with short-lived signed URLs (the owner, or ACTIVE members of a planet where it was posted) */
        get: operations["MediaController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/media/webhooks/cloudflare-stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cloudflare Stream notification (video ready or failed), signed with Webhook-Signature: time=…,sig1=… */
        post: operations["MediaWebhookController_stream"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        LivenessDto: {
            /** @enum {string} */
            status: "ok";
        };
        ReadinessChecksDto: {
            /** @enum {string} */
            postgres: "up" | "down";
            /** @enum {string} */
            redis: "up" | "down";
        };
        ReadinessDto: {
            /** @enum {string} */
            status: "ok";
            checks: components["schemas"]["ReadinessChecksDto"];
        };
        ErrorDetailDto: {
            /** @example query */
            field: string;
            /** @example must be at least 2 characters */
            problem: string;
        };
        NotReadyDto: {
            /** @example 400 */
            statusCode: number;
            /**
             * @description The HTTP reason phrase of statusCode
             * @example Bad Request
             */
            error: string;
            /** @example query must be at least 2 characters */
            message: string;
            /** @description Present when fields are at fault */
            details?: components["schemas"]["ErrorDetailDto"][];
            /** @enum {string} */
            status: "unavailable" | "shutting-down";
            /** @description absent while shutting down */
            checks?: components["schemas"]["ReadinessChecksDto"];
        };
        RegisterDto: {
            /**
             * @description Stored NFKC-normalised, without invisible characters, in lower case: `A@X.com` and `a\u200b@x.com` are the same account
             * @example minji@connecto.dev
             */
            email: string;
            /**
             * @description At most 72 bytes of UTF-8 (bcrypt reads no more): 72 ASCII characters or 24 Hangul syllables
             * @example connecto123!
             */
            password: string;
            /** @example 민지 */
            nickname: string;
        };
        ProfileDto: {
            /** @example 민지 */
            nickname: string;
            avatarUrl: string | null;
            bio: string | null;
            avatarMediaId: number | null;
            /** @example ko */
            locale: string;
        };
        UserMeDto: {
            id: number;
            /** @example minji@connecto.dev */
            email: string;
            profile: components["schemas"]["ProfileDto"];
        };
        AuthResponseDto: {
            /** @description JWT, valid for JWT_ACCESS_TTL_SECONDS */
            accessToken: string;
            /** @description Opaque, single use: each refresh returns a new one */
            refreshToken: string;
            user: components["schemas"]["UserMeDto"];
        };
        LoginDto: {
            /**
             * @description Compared after the same normalisation as at register
             * @example minji@connecto.dev
             */
            email: string;
            /**
             * @description At most 72 bytes of UTF-8, as at register: a longer one could never have been set
             * @example connecto123!
             */
            password: string;
        };
        RefreshDto: {
            /** @description The refresh token from login, register or the previous refresh */
            refreshToken: string;
        };
        TokenPairDto: {
            /** @description JWT, valid for JWT_ACCESS_TTL_SECONDS */
            accessToken: string;
            /** @description Opaque, single use: each refresh returns a new one */
            refreshToken: string;
        };
        UpdateProfileDto: {
            /** @description Cannot be removed (null is refused) */
            nickname?: string;
            bio?: string | null;
            /** @description An image the caller uploaded; null removes the avatar */
            avatarMediaId?: number | null;
        };
        CreateTravelDto: {
            /** @example 부산 2박 3일 */
            title: string;
            description?: string | null;
            /**
             * @description PUBLIC travels are visible to and joinable by anyone; PRIVATE ones only through the host.
             * @enum {string}
             */
            visibility: "PUBLIC" | "PRIVATE";
            /**
             * @description YYYY-MM-DD
             * @example 2025-07-01
             */
            startDate?: string | null;
            /**
             * @description YYYY-MM-DD, not before startDate
             * @example 2025-07-03
             */
            endDate?: string | null;
        };
        TravelResponseDto: {
            id: number;
            title: string;
            description: string | null;
            /** @enum {string} */
            visibility: "PUBLIC" | "PRIVATE";
            /** @description Number of ACTIVE members */
            participantCount: number;
            /** @example 2025-07-01 */
            startDate: string | null;
            /** @example 2025-07-03 */
            endDate: string | null;
            createdById: number;
            createdAt: string;
            updatedAt: string;
            /**
             * @description The caller's role when an ACTIVE member, else null
             * @enum {string|null}
             */
            myRole?: "HOST" | "MEMBER" | null;
        };
        TravelPageDto: {
            data: components["schemas"]["TravelResponseDto"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            nextCursor: string | null;
            hasMore: boolean;
        };
        TravelListDto: {
            data: components["schemas"]["TravelResponseDto"][];
        };
        UpdateTravelDto: {
            title?: string;
            description?: string | null;
            /** @enum {string} */
            visibility?: "PUBLIC" | "PRIVATE";
            /** @example 2025-07-01 */
            startDate?: string | null;
            /** @example 2025-07-03 */
            endDate?: string | null;
        };
        TravelMembershipResponseDto: {
            travelId: number;
            userId: number;
            /** @enum {string} */
            role: "HOST" | "MEMBER";
            /** @enum {string} */
            status: "ACTIVE" | "LEFT" | "BANNED";
            joinedAt: string;
            /** @description participantCount of the travel after this change */
            participantCount: number;
        };
        AddMemberDto: {
            /** @example 42 */
            userId: number;
        };
        SetMemberRoleDto: {
            /** @enum {string} */
            role: "HOST" | "MEMBER";
        };
        CreatePlanetDto: {
            /** @example 맛집 탐방 */
            name: string;
        };
        PlanetResponseDto: {
            id: number;
            travelId: number;
            name: string;
            createdById: number;
            createdAt: string;
            /** @description ACTIVE members of the planet */
            memberCount?: number;
            /** @description Whether the caller is an ACTIVE member */
            isMember?: boolean;
        };
        PlanetListDto: {
            data: components["schemas"]["PlanetResponseDto"][];
        };
        MessageSenderDto: {
            id: number;
            nickname: string;
        };
        MessageResponseDto: {
            /**
             * @description bigint as a string
             * @example 1024
             */
            id: string;
            planetId: number;
            senderId: number | null;
            sender?: components["schemas"]["MessageSenderDto"] | null;
            /** @enum {string} */
            type: "TEXT" | "IMAGE" | "VIDEO" | "FILE" | "SYSTEM";
            content: string | null;
            replyToMessageId: string | null;
            attachments: Record<string, never>[];
            clientId?: string | null;
            createdAt: string;
            editedAt: string | null;
            deleted: boolean;
            /**
             * @description bigint as a string: where this state of the message is in its planet's change feed (GET /planets/:planetId/changes); larger is newer
             * @example 5120
             */
            changeSeq: string;
        };
        MyPlanetResponseDto: {
            id: number;
            travelId: number;
            travelTitle: string;
            name: string;
            createdAt: string;
            /**
             * @description My role in the planet
             * @enum {string}
             */
            role: "ADMIN" | "MEMBER";
            /** @description Messages by others after my read watermark (and since I joined), not deleted */
            unreadCount: number;
            /** @description The newest message (a tombstone when deleted) */
            lastMessage: components["schemas"]["MessageResponseDto"] | null;
        };
        MyPlanetListDto: {
            /** @description Most recently active first */
            data: components["schemas"]["MyPlanetResponseDto"][];
        };
        PlanetMembershipResponseDto: {
            planetId: number;
            userId: number;
            /** @enum {string} */
            role: "ADMIN" | "MEMBER";
            /** @enum {string} */
            status: "ACTIVE" | "LEFT" | "BANNED";
            joinedAt: string;
        };
        SearchPlanetRefDto: {
            id: number;
            name: string;
            travelId: number;
        };
        HighlightRangeDto: {
            /** @description UTF-16 offset into content, inclusive */
            start: number;
            /** @description UTF-16 offset into content, exclusive */
            end: number;
        };
        SearchHitDto: {
            /**
             * @description bigint as a string
             * @example 1024
             */
            id: string;
            planetId: number;
            senderId: number | null;
            sender?: components["schemas"]["MessageSenderDto"] | null;
            /** @enum {string} */
            type: "TEXT" | "IMAGE" | "VIDEO" | "FILE" | "SYSTEM";
            content: string | null;
            replyToMessageId: string | null;
            attachments: Record<string, never>[];
            clientId?: string | null;
            createdAt: string;
            editedAt: string | null;
            deleted: boolean;
            /**
             * @description bigint as a string: where this state of the message is in its planet's change feed (GET /planets/:planetId/changes); larger is newer
             * @example 5120
             */
            changeSeq: string;
            planet: components["schemas"]["SearchPlanetRefDto"];
            highlights: components["schemas"]["HighlightRangeDto"][];
        };
        SearchResponseDto: {
            data: components["schemas"]["SearchHitDto"][];
            /** @description Exact number of matches, up to 1,000 (see totalCapped) */
            total: number;
            /** @description true when there are more than 1,000 matches (total then says 1000) */
            totalCapped: boolean;
            hasMore: boolean;
            /** @description Pass as `cursor` for the next page; null on the last page */
            nextCursor: string | null;
        };
        ErrorResponseDto: {
            /** @example 400 */
            statusCode: number;
            /**
             * @description The HTTP reason phrase of statusCode
             * @example Bad Request
             */
            error: string;
            /** @example query must be at least 2 characters */
            message: string;
            /** @description Present when fields are at fault */
            details?: components["schemas"]["ErrorDetailDto"][];
        };
        EditMessageDto: {
            content: string;
        };
        SendMessageDto: {
            /** @example 내일 부산에서 만나요 */
            content?: string;
            /**
             * @description a message of the same planet (bigint as a string)
             * @example 1024
             */
            replyToMessageId?: string;
            /** @description uploaded media of the caller */
            mediaIds?: number[];
            /** @description client-chosen id: resending the same clientId returns the first message */
            clientId?: string;
        };
        MessageWithCountsDto: {
            /**
             * @description bigint as a string
             * @example 1024
             */
            id: string;
            planetId: number;
            senderId: number | null;
            sender?: components["schemas"]["MessageSenderDto"] | null;
            /** @enum {string} */
            type: "TEXT" | "IMAGE" | "VIDEO" | "FILE" | "SYSTEM";
            content: string | null;
            replyToMessageId: string | null;
            attachments: Record<string, never>[];
            clientId?: string | null;
            createdAt: string;
            editedAt: string | null;
            deleted: boolean;
            /**
             * @description bigint as a string: where this state of the message is in its planet's change feed (GET /planets/:planetId/changes); larger is newer
             * @example 5120
             */
            changeSeq: string;
            /** @description ACTIVE members other than the sender whose read watermark has reached this message */
            readCount: number;
            /** @description ACTIVE members other than the sender who have not read it yet */
            unreadCount: number;
            /** @description Replies to this message that are not deleted */
            replyCount: number;
        };
        MessageListResponseDto: {
            data: components["schemas"]["MessageWithCountsDto"][];
            hasMore: boolean;
        };
        MessageChangesResponseDto: {
            /** @description Messages created, edited or deleted after `since`, oldest change first; each message once, in its latest state (a deleted one as a tombstone: `deleted: true`, no content) */
            data: components["schemas"]["MessageResponseDto"][];
            /**
             * @description Pass as `since` next time: the `changeSeq` of the last item, or `since` itself when there was nothing new
             * @example 5170
             */
            nextCursor: string;
            /** @description More changes are waiting: ask again with `nextCursor` at once */
            hasMore: boolean;
        };
        ReadMessagesDto: {
            /**
             * @description a message of this planet (bigint as a string)
             * @example 1024
             */
            messageId: string;
        };
        CreateUploadDto: {
            /** @enum {string} */
            kind: "image" | "video" | "file";
            /**
             * @description a plain file name whose extension fits mimeType
             * @example 해운대.jpg
             */
            fileName: string;
            /**
             * @example image/jpeg
             * @enum {string}
             */
            mimeType: "image/jpeg" | "image/png" | "image/webp" | "image/gif" | "image/heic" | "image/heif" | "video/mp4" | "video/quicktime" | "video/webm" | "application/pdf" | "application/zip" | "text/plain" | "text/csv" | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" | "application/vnd.openxmlformats-officedocument.presentationml.presentation" | "application/msword" | "application/vnd.ms-excel" | "application/x-hwp" | "application/vnd.hancom.hwpx";
            /** @description exact size in bytes; images at most 10 MiB, videos 200 MiB, files 50 MiB */
            size: number;
        };
        UploadSessionDto: {
            mediaId: number;
            /**
             * @description PUT for http-put; PATCH (after a HEAD for the offset) for tus
             * @enum {string}
             */
            method: "PUT" | "PATCH";
            /** @description where the client sends the bytes, straight to storage or to Cloudflare Stream (the API never sees them) */
            uploadUrl: string;
            /** @description headers every request must carry (signed, for http-put) */
            headers: {
                [key: string]: string;
            };
            /**
             * @description http-put: one PUT of the whole body with these headers. tus: a one-time Cloudflare Stream TUS 1.0.0 upload URL (videos, when Stream is configured): HEAD for Upload-Offset, then PATCH chunks from there; resumable
             * @enum {string}
             */
            protocol: "http-put" | "tus";
            /** @description tus: the chunk size to PATCH (Stream: at least 5 MiB, a multiple of 256 KiB, at most 200 MiB; the last chunk may be smaller) */
            chunkSize?: number;
            expiresAt: string;
        };
        MediaUrlsDto: {
            full?: string;
            preview?: string;
            thumbnail?: string;
            /** @description videos on Cloudflare Stream: the HLS manifest (…/manifest/video.m3u8) */
            hls?: string;
        };
        MediaResponseDto: {
            id: number;
            /** @enum {string} */
            kind: "image" | "video" | "file";
            /** @enum {string} */
            status: "PENDING" | "UPLOADED" | "PROCESSING" | "READY" | "FAILED";
            fileName: string;
            mimeType: string;
            size: number;
            width: number | null;
            height: number | null;
            /** @description why processing failed (status FAILED) */
            failureReason: string | null;
            /**
             * @description who processed and serves it: local or r2 storage, cloudflare_images, cloudflare_stream
             * @enum {string}
             */
            provider: "local" | "r2" | "cloudflare_images" | "cloudflare_stream";
            /** @description set when Cloudflare could not process it and local processing did instead (why) */
            fallbackReason: string | null;
            /** @description videos: length in seconds, when known */
            durationSeconds: number | null;
            /** @description short-lived signed URLs; empty until READY */
            urls: components["schemas"]["MediaUrlsDto"];
            /** @description when the URLs stop working */
            urlsExpireAt?: string;
        };
        WebhookReceivedDto: {
            /** @enum {boolean} */
            received: true;
            /** @description the media the notification was about, null when it is not ours */
            mediaId: number | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    HealthController_alive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LivenessDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description PostgreSQL and Redis are reachable */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessDto"];
                };
            };
            /** @description A backing service is down, or the node is shutting down; retry after `Retry-After` seconds */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotReadyDto"];
                };
            };
        };
    };
    AuthController_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The email is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (auth): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    AuthController_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unknown email or wrong password (the same answer for both) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (loginFailures): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    AuthController_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshDto"];
            };
        };
        responses: {
            /** @description A new pair; the presented refresh token is spent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPairDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unknown, expired, revoked or already used refresh token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (auth): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    AuthController_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshDto"];
            };
        };
        responses: {
            /** @description The refresh token and its whole family are revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (auth): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserController_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMeDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserController_deleteAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserController_updateProfile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProfileDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfileDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_listMine: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TravelPageDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTravelDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TravelResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_popular: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TravelListDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TravelResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel does not exist, is deleted, or is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You can see the travel but are not its host */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel does not exist, is deleted, or is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTravelDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TravelResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You can see the travel but are not its host */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel does not exist, is deleted, or is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_join: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TravelMembershipResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You were removed (BANNED) from this travel */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel does not exist, is deleted, or is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_addMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddMemberDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TravelMembershipResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You can see the travel but are not its host */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel does not exist, is deleted, or is PRIVATE and you are not a member; or the user does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The user is already an ACTIVE member */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_setMemberRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                userId: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetMemberRoleDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TravelMembershipResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You can see the travel but are not its host */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel does not exist, is deleted, or is PRIVATE and you are not a member; or the user is not an ACTIVE member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The last host cannot step down */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    TravelController_leave: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel does not exist, is deleted, or is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You are the last host and other members remain */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetController_listForTravel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                travelId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanetListDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel is PUBLIC but you are not an ACTIVE member of it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description It does not exist, is deleted, or its travel is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetController_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                travelId: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePlanetDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanetResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel is PUBLIC but you are not an ACTIVE member of it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description It does not exist, is deleted, or its travel is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetController_listMine: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyPlanetListDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetController_join: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanetMembershipResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel is PUBLIC but you are not an ACTIVE member of it; or you were removed from the planet */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description It does not exist, is deleted, or its travel is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetController_leave: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The travel is PUBLIC but you are not an ACTIVE member of it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description It does not exist, is deleted, or its travel is PRIVATE and you are not a member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    MessageController_search: {
        parameters: {
            query: {
                /** @description Terms split on whitespace; every term must match. Hangul/CJK terms match anywhere as substrings, Latin/digit terms match the start of a word (case-insensitive); mixed-script terms are split where the script changes. At most 10 terms. */
                query: string;
                /** @description Only this planet (403 unless you are an ACTIVE member). */
                planetId?: number;
                /** @description Only planets of this travel (403 unless you are an ACTIVE member of one of them). */
                travelId?: number;
                limit?: number;
                /** @description Bounded; go deeper with `cursor`. */
                offset?: number;
                /** @description `nextCursor` of the previous page (same query and sort); excludes `offset`. */
                cursor?: string;
                /** @description `relevance` ranks the newest 200 matches (ties by recency), then continues newest first; `recent` is newest first. */
                sort?: "relevance" | "recent";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description planetId or travelId names a planet or travel you are not an active member of */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (search): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    MessageController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted (also when it already was) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Only the sender or a planet admin can delete a message */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No such message, or you cannot see its planet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    MessageController_edit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EditMessageDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Only the sender can edit a message */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No such message, it is deleted, or you cannot see its planet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (edit): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetMessageController_list: {
        parameters: {
            query?: {
                /** @description older than this id, newest first */
                before?: string;
                /** @description newer than this id, oldest first (resync after a reconnect) */
                after?: string;
                limit?: number;
            };
            header?: never;
            path: {
                planetId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageListResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You are not an active member of this planet */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetMessageController_send: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                planetId: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendMessageDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You are not an active member of this planet */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description clientId was already used for a message in another planet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (send): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetMessageController_changes: {
        parameters: {
            query?: {
                /** @description Cursor: `nextCursor` of the previous page, or the largest `changeSeq` the client holds for this planet; `0` (the default) replays the whole planet. Decimal digits, up to 9223372036854775807. */
                since?: string;
                limit?: number;
            };
            header?: never;
            path: {
                planetId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageChangesResponseDto"];
                };
            };
            /** @description `since` is not a cursor (decimal digits within int8) or `limit` is out of range; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description not an ACTIVE member of the planet (as for the message list) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PlanetMessageController_read: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                planetId: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReadMessagesDto"];
            };
        };
        responses: {
            /** @description The watermark is stored */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description You are not an active member of this planet */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No such message in this planet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (read): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    MediaController_createUpload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUploadDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadSessionDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Rate limited (upload): wait the `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    MediaController_complete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MediaResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description no such media of yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description already completed, or the bytes have not arrived yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    MediaController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MediaResponseDto"];
                };
            };
            /** @description Bad input; `details` names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description No, bad or expired access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description no such media, or not visible to you */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    MediaWebhookController_stream: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookReceivedDto"];
                };
            };
            /** @description missing, forged or too old signature, or webhooks not configured */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description replayed notification */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
}
